CREATE TABLE "flow_trigger_sweeps" (
	"flow_id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"swept_to" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "flow_trigger_sweeps" ADD CONSTRAINT "flow_trigger_sweeps_flow_id_flows_id_fk" FOREIGN KEY ("flow_id") REFERENCES "public"."flows"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flow_trigger_sweeps" ADD CONSTRAINT "flow_trigger_sweeps_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contacts_workspace_timezone_id_idx" ON "contacts" USING btree ("workspace_id","timezone","id");