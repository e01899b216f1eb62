CREATE TABLE "flow_stats_daily" (
	"workspace_id" uuid NOT NULL,
	"flow_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"node_id" text NOT NULL,
	"day" date NOT NULL,
	"metric" text NOT NULL,
	"shard" integer DEFAULT 0 NOT NULL,
	"value" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "delivered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "opened_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "clicked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "bounced_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "complained_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "unsubscribed_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "flow_stats_daily_uq" ON "flow_stats_daily" USING btree ("flow_id","version_id","node_id","day","metric","shard");--> statement-breakpoint
CREATE INDEX "flow_stats_daily_workspace_flow_day_idx" ON "flow_stats_daily" USING btree ("workspace_id","flow_id","day");