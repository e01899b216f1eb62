ALTER TABLE "enrollments" ADD COLUMN "occurrence_key" text NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "locked_until" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "enrollments_occurrence_uq" ON "enrollments" USING btree ("flow_id","contact_id","occurrence_key");--> statement-breakpoint
CREATE INDEX "messages_dispatch_idx" ON "messages" USING btree ("next_attempt_at") WHERE "messages"."status" in ('queued', 'sending');