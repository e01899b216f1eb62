CREATE TYPE "public"."webhook_call_status" AS ENUM('queued', 'sending', 'sent', 'failed');--> statement-breakpoint
CREATE TABLE "consent_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"channel" "channel" NOT NULL,
	"from_status" "consent_status" NOT NULL,
	"to_status" "consent_status" NOT NULL,
	"source" text NOT NULL,
	"enrollment_id" uuid,
	"flow_id" uuid,
	"node_id" text,
	"visit" integer,
	"occurred_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_calls" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"enrollment_id" uuid NOT NULL,
	"flow_id" uuid NOT NULL,
	"node_id" text NOT NULL,
	"visit" integer DEFAULT 1 NOT NULL,
	"contact_id" uuid,
	"url" text NOT NULL,
	"method" text NOT NULL,
	"body" text NOT NULL,
	"status" "webhook_call_status" DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"response_status" integer,
	"last_error" text,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "consent_changes" ADD CONSTRAINT "consent_changes_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consent_changes" ADD CONSTRAINT "consent_changes_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consent_changes" ADD CONSTRAINT "consent_changes_enrollment_id_enrollments_id_fk" FOREIGN KEY ("enrollment_id") REFERENCES "public"."enrollments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_calls" ADD CONSTRAINT "webhook_calls_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_calls" ADD CONSTRAINT "webhook_calls_enrollment_id_enrollments_id_fk" FOREIGN KEY ("enrollment_id") REFERENCES "public"."enrollments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_calls" ADD CONSTRAINT "webhook_calls_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "consent_changes_workspace_contact_idx" ON "consent_changes" USING btree ("workspace_id","contact_id","occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "consent_changes_enrollment_node_visit_uq" ON "consent_changes" USING btree ("enrollment_id","node_id","visit");--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_calls_enrollment_node_visit_uq" ON "webhook_calls" USING btree ("enrollment_id","node_id","visit");--> statement-breakpoint
CREATE INDEX "webhook_calls_workspace_enrollment_idx" ON "webhook_calls" USING btree ("workspace_id","enrollment_id");--> statement-breakpoint
CREATE INDEX "webhook_calls_dispatch_idx" ON "webhook_calls" USING btree ("next_attempt_at") WHERE "webhook_calls"."status" in ('queued', 'sending');