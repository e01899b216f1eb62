CREATE TABLE "event_keys" (
	"workspace_id" uuid NOT NULL,
	"idempotency_key" text NOT NULL,
	"event_id" uuid NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	CONSTRAINT "event_keys_workspace_id_idempotency_key_pk" PRIMARY KEY("workspace_id","idempotency_key")
);
--> statement-breakpoint
DROP INDEX "events_workspace_idempotency_uq";--> statement-breakpoint
ALTER TABLE "events" DROP CONSTRAINT "events_pkey";--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_id_occurred_at_pk" PRIMARY KEY("id","occurred_at");--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "history_months" integer DEFAULT 25 NOT NULL;--> statement-breakpoint
ALTER TABLE "event_keys" ADD CONSTRAINT "event_keys_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "event_keys_workspace_time_idx" ON "event_keys" USING btree ("workspace_id","occurred_at");