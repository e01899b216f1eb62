CREATE TYPE "public"."forecast_run_status" AS ENUM('queued', 'running', 'done', 'failed', 'cancelled');--> statement-breakpoint
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
ALTER TABLE "forecast_runs" ADD CONSTRAINT "forecast_runs_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forecast_runs" ADD CONSTRAINT "forecast_runs_flow_id_flows_id_fk" FOREIGN KEY ("flow_id") REFERENCES "public"."flows"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forecast_runs" ADD CONSTRAINT "forecast_runs_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "forecast_runs_flow_idx" ON "forecast_runs" USING btree ("workspace_id","flow_id","created_at");--> statement-breakpoint
CREATE INDEX "forecast_runs_pending_idx" ON "forecast_runs" USING btree ("created_at") WHERE "forecast_runs"."status" in ('queued', 'running');