CREATE TYPE "public"."forecast_run_status" AS ENUM('queued', 'running', 'done', 'failed', 'cancelled');--> statement-breakpoint
CREATE TABLE "contact_event_last" (
	"workspace_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"event_name" text NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	CONSTRAINT "contact_event_last_contact_id_event_name_pk" PRIMARY KEY("contact_id","event_name")
);
--> statement-breakpoint
CREATE TABLE "contact_trigger_dirty" (
	"workspace_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	CONSTRAINT "contact_trigger_dirty_workspace_id_contact_id_pk" PRIMARY KEY("workspace_id","contact_id")
);
--> statement-breakpoint
CREATE TABLE "contact_trigger_due" (
	"workspace_id" uuid NOT NULL,
	"flow_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	CONSTRAINT "contact_trigger_due_flow_id_contact_id_pk" PRIMARY KEY("flow_id","contact_id")
);
--> statement-breakpoint
CREATE TABLE "flow_trigger_due" (
	"flow_id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"built_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "forecast_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"flow_id" uuid NOT NULL,
	"draft_revision" integer NOT NULL,
	"draft_hash" text NOT NULL,
	"graph" jsonb NOT NULL,
	"live_version_id" uuid,
	"days" integer NOT NULL,
	"window_from" timestamp with time zone NOT NULL,
	"window_to" timestamp with time zone NOT NULL,
	"status" "forecast_run_status" DEFAULT 'queued' NOT NULL,
	"progress_permille" integer DEFAULT 0 NOT NULL,
	"result" jsonb,
	"error" text,
	"lease_until" timestamp with time zone,
	"requested_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "provider_rate_limits" (
	"key" text PRIMARY KEY NOT NULL,
	"tokens" double precision NOT NULL,
	"refilled_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
DROP INDEX "messages_workspace_contact_created_idx";--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "search_text" text GENERATED ALWAYS AS (translate(lower(coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(email, '') || ' ' || coalesce(external_id, '') || ' ' || coalesce(phone, '')), 'àáâãäåāăąÀÁÂÃÄÅĀĂĄçćĉčÇĆĈČďđĎĐèéêëēĕėęěÈÉÊËĒĔĖĘĚĝğġģĜĞĠĢìíîïĩīĭįıÌÍÎÏĨĪĬĮİķĶĺļľŀłĹĻĽĿŁñńņňÑŃŅŇòóôõöøōŏőÒÓÔÕÖØŌŎŐŕŗřŔŖŘśŝşšșŚŜŞŠȘţťŧțŢŤŦȚùúûüũūŭůűųÙÚÛÜŨŪŬŮŰŲŵŴýÿŷÝŸŶźżžŹŻŽ', 'aaaaaaaaaaaaaaaaaaccccccccddddeeeeeeeeeeeeeeeeeeggggggggiiiiiiiiiiiiiiiiiikkllllllllllnnnnnnnnoooooooooooooooooorrrrrrssssssssssttttttttuuuuuuuuuuuuuuuuuuuuwwyyyyyyzzzzzz')) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "contact_event_last" ADD CONSTRAINT "contact_event_last_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_event_last" ADD CONSTRAINT "contact_event_last_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_trigger_dirty" ADD CONSTRAINT "contact_trigger_dirty_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_trigger_dirty" ADD CONSTRAINT "contact_trigger_dirty_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_trigger_due" ADD CONSTRAINT "contact_trigger_due_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_trigger_due" ADD CONSTRAINT "contact_trigger_due_flow_id_flows_id_fk" FOREIGN KEY ("flow_id") REFERENCES "public"."flows"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_trigger_due" ADD CONSTRAINT "contact_trigger_due_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flow_trigger_due" ADD CONSTRAINT "flow_trigger_due_flow_id_flows_id_fk" FOREIGN KEY ("flow_id") REFERENCES "public"."flows"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flow_trigger_due" ADD CONSTRAINT "flow_trigger_due_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forecast_runs" ADD CONSTRAINT "forecast_runs_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forecast_runs" ADD CONSTRAINT "forecast_runs_flow_id_flows_id_fk" FOREIGN KEY ("flow_id") REFERENCES "public"."flows"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forecast_runs" ADD CONSTRAINT "forecast_runs_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contact_event_last_workspace_event_at_idx" ON "contact_event_last" USING btree ("workspace_id","event_name","last_at","contact_id");--> statement-breakpoint
CREATE INDEX "contact_trigger_due_flow_due_idx" ON "contact_trigger_due" USING btree ("flow_id","due_at");--> statement-breakpoint
CREATE INDEX "flow_trigger_due_workspace_idx" ON "flow_trigger_due" USING btree ("workspace_id");--> statement-breakpoint
CREATE INDEX "forecast_runs_flow_idx" ON "forecast_runs" USING btree ("workspace_id","flow_id","created_at");--> statement-breakpoint
CREATE INDEX "forecast_runs_pending_idx" ON "forecast_runs" USING btree ("created_at") WHERE "forecast_runs"."status" in ('queued', 'running');--> statement-breakpoint
CREATE INDEX "contacts_workspace_email_id_idx" ON "contacts" USING btree ("workspace_id","email","id");--> statement-breakpoint
CREATE INDEX "contacts_search_trgm_idx" ON "contacts" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "events_workspace_time_id_idx" ON "events" USING btree ("workspace_id","occurred_at","id");--> statement-breakpoint
CREATE INDEX "events_workspace_contact_time_idx" ON "events" USING btree ("workspace_id","contact_id","occurred_at","id");--> statement-breakpoint
CREATE INDEX "messages_workspace_created_idx" ON "messages" USING btree ("workspace_id","created_at","id");--> statement-breakpoint
CREATE INDEX "messages_workspace_contact_created_idx" ON "messages" USING btree ("workspace_id","contact_id","created_at","id");