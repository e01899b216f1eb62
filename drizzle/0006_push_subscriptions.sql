CREATE TABLE "push_subscriptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"contact_id" uuid,
	"anonymous_id" text,
	"endpoint" text NOT NULL,
	"p256dh" text NOT NULL,
	"auth" text NOT NULL,
	"user_agent" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_success_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "push_subscriptions" ADD CONSTRAINT "push_subscriptions_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "push_subscriptions" ADD CONSTRAINT "push_subscriptions_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "push_subscriptions_workspace_endpoint_uq" ON "push_subscriptions" USING btree ("workspace_id","endpoint");--> statement-breakpoint
CREATE INDEX "push_subscriptions_workspace_contact_idx" ON "push_subscriptions" USING btree ("workspace_id","contact_id");--> statement-breakpoint
CREATE INDEX "push_subscriptions_workspace_anonymous_idx" ON "push_subscriptions" USING btree ("workspace_id","anonymous_id") WHERE "push_subscriptions"."anonymous_id" is not null;--> statement-breakpoint
-- A message the dispatcher skips (e.g. push to a contact with no browser subscribed) counts
-- as skipped with its reason, like a skip decided when the message was queued.
CREATE OR REPLACE FUNCTION tidings_stats_messages_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE v_shard int := floor(random() * 8)::int;
BEGIN
  INSERT INTO flow_stats_daily (workspace_id, flow_id, version_id, node_id, day, metric, shard, value)
  SELECT n.workspace_id, n.flow_id, e.version_id, n.node_id, (coalesce(n.sent_at, now()) AT TIME ZONE 'UTC')::date,
    CASE WHEN n.status = 'skipped' THEN 'skipped:' || coalesce(n.skip_reason, 'other') ELSE n.status::text END, v_shard, count(*)
  FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN enrollments e ON e.id = n.enrollment_id
  WHERE n.status IN ('sent', 'failed', 'skipped') AND o.status <> n.status AND n.flow_id IS NOT NULL AND n.node_id IS NOT NULL
  GROUP BY 1, 2, 3, 4, 5, 6
  ON CONFLICT (flow_id, version_id, node_id, day, metric, shard) DO UPDATE SET value = flow_stats_daily.value + EXCLUDED.value;
  RETURN NULL;
END $$;
