ALTER TABLE "messages" ADD COLUMN "claims" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "first_attempt_at" timestamp with time zone;