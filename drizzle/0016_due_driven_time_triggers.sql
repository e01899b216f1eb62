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
ALTER TABLE "contact_event_last" ADD CONSTRAINT "contact_event_last_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_event_last" ADD CONSTRAINT "contact_event_last_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_trigger_dirty" ADD CONSTRAINT "contact_trigger_dirty_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_trigger_dirty" ADD CONSTRAINT "contact_trigger_dirty_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_trigger_due" ADD CONSTRAINT "contact_trigger_due_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_trigger_due" ADD CONSTRAINT "contact_trigger_due_flow_id_flows_id_fk" FOREIGN KEY ("flow_id") REFERENCES "public"."flows"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_trigger_due" ADD CONSTRAINT "contact_trigger_due_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flow_trigger_due" ADD CONSTRAINT "flow_trigger_due_flow_id_flows_id_fk" FOREIGN KEY ("flow_id") REFERENCES "public"."flows"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flow_trigger_due" ADD CONSTRAINT "flow_trigger_due_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contact_event_last_workspace_event_at_idx" ON "contact_event_last" USING btree ("workspace_id","event_name","last_at");--> statement-breakpoint
CREATE INDEX "contact_trigger_due_flow_due_idx" ON "contact_trigger_due" USING btree ("flow_id","due_at");--> statement-breakpoint
CREATE INDEX "flow_trigger_due_workspace_idx" ON "flow_trigger_due" USING btree ("workspace_id");