-- Flow analytics counters: the statement-level trigger functions that keep
-- flow_stats_daily (one row per flow, version, node, UTC day, metric and shard).
--
-- This file is the one place to read and change today's counting. A migration applies it:
-- after editing, run `npm run db:flow-stats` (a drizzle-kit custom migration whose SQL is
-- this file), and `server/db/flow-stats.int.test.ts` checks the database's function bodies
-- match this file on both drivers.
--
-- What is counted (metric names as the canvas reads them):
--   step:<outcome>         a contact passed a node (enrollment_steps insert)
--   ended:<status>         an enrollment ended at its current node (enrollments update)
--   skipped:<reason>       a message was skipped when queued or when sent
--   sent / failed          a message reached its final send state (messages update)
--   delivered, opened, clicked, bounced, complained, unsubscribed
--                          the first provider event of that type per message (message_events);
--                          the first also stamps messages.<type>_at
--   clicks                 every click, for click totals
--   conversions / revenue_cents
--                          per flow (node '*') when counted, per node when credited (conversions)
--
-- Each upsert takes its rows in key order, on one shard per transaction (txid % 8), so two
-- transactions counting the same nodes queue instead of deadlocking.
CREATE OR REPLACE FUNCTION tidings_stats_steps() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE v_shard int := (txid_current() % 8)::int;
BEGIN
  INSERT INTO flow_stats_daily (workspace_id, flow_id, version_id, node_id, day, metric, shard, value)
  SELECT workspace_id, flow_id, version_id, node_id, (at AT TIME ZONE 'UTC')::date, 'step:' || outcome, v_shard, count(*)
  FROM new_rows GROUP BY 1, 2, 3, 4, 5, 6
  ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT (flow_id, version_id, node_id, day, metric, shard) DO UPDATE SET value = flow_stats_daily.value + EXCLUDED.value;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION tidings_stats_enrollments() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE v_shard int := (txid_current() % 8)::int;
BEGIN
  INSERT INTO flow_stats_daily (workspace_id, flow_id, version_id, node_id, day, metric, shard, value)
  SELECT n.workspace_id, n.flow_id, n.version_id, n.current_node_id, (coalesce(n.ended_at, now()) AT TIME ZONE 'UTC')::date, 'ended:' || n.status::text, v_shard, count(*)
  FROM new_rows n JOIN old_rows o ON o.id = n.id
  WHERE o.status = 'active' AND n.status <> 'active'
  GROUP BY 1, 2, 3, 4, 5, 6
  ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT (flow_id, version_id, node_id, day, metric, shard) DO UPDATE SET value = flow_stats_daily.value + EXCLUDED.value;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION tidings_stats_messages_insert() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE v_shard int := (txid_current() % 8)::int;
BEGIN
  INSERT INTO flow_stats_daily (workspace_id, flow_id, version_id, node_id, day, metric, shard, value)
  SELECT n.workspace_id, n.flow_id, e.version_id, n.node_id, (n.created_at AT TIME ZONE 'UTC')::date, 'skipped:' || coalesce(n.skip_reason, 'other'), v_shard, count(*)
  FROM new_rows n JOIN enrollments e ON e.id = n.enrollment_id
  WHERE n.status = 'skipped' AND n.flow_id IS NOT NULL AND n.node_id IS NOT NULL
  GROUP BY 1, 2, 3, 4, 5, 6
  ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT (flow_id, version_id, node_id, day, metric, shard) DO UPDATE SET value = flow_stats_daily.value + EXCLUDED.value;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION tidings_stats_messages_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE v_shard int := (txid_current() % 8)::int;
BEGIN
  INSERT INTO flow_stats_daily (workspace_id, flow_id, version_id, node_id, day, metric, shard, value)
  SELECT n.workspace_id, n.flow_id, e.version_id, n.node_id, (coalesce(n.sent_at, now()) AT TIME ZONE 'UTC')::date,
    CASE WHEN n.status = 'skipped' THEN 'skipped:' || coalesce(n.skip_reason, 'other') ELSE n.status::text END, v_shard, count(*)
  FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN enrollments e ON e.id = n.enrollment_id
  WHERE n.status IN ('sent', 'failed', 'skipped') AND o.status <> n.status AND n.flow_id IS NOT NULL AND n.node_id IS NOT NULL
  GROUP BY 1, 2, 3, 4, 5, 6
  ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT (flow_id, version_id, node_id, day, metric, shard) DO UPDATE SET value = flow_stats_daily.value + EXCLUDED.value;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION tidings_stats_message_events() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE v_shard int := (txid_current() % 8)::int;
BEGIN
  WITH touched AS (
    UPDATE messages m SET delivered_at = x.at
    FROM (SELECT message_id, min(occurred_at) AS at FROM new_rows WHERE type = 'delivered' GROUP BY message_id) x
    WHERE m.id = x.message_id AND m.delivered_at IS NULL
    RETURNING m.workspace_id, m.flow_id, m.enrollment_id, m.node_id, x.at)
  INSERT INTO flow_stats_daily (workspace_id, flow_id, version_id, node_id, day, metric, shard, value)
  SELECT t.workspace_id, t.flow_id, e.version_id, t.node_id, (t.at AT TIME ZONE 'UTC')::date, 'delivered', v_shard, count(*)
  FROM touched t JOIN enrollments e ON e.id = t.enrollment_id
  WHERE t.flow_id IS NOT NULL AND t.node_id IS NOT NULL
  GROUP BY 1, 2, 3, 4, 5
  ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (flow_id, version_id, node_id, day, metric, shard) DO UPDATE SET value = flow_stats_daily.value + EXCLUDED.value;
  WITH touched AS (
    UPDATE messages m SET opened_at = x.at
    FROM (SELECT message_id, min(occurred_at) AS at FROM new_rows WHERE type = 'opened' GROUP BY message_id) x
    WHERE m.id = x.message_id AND m.opened_at IS NULL
    RETURNING m.workspace_id, m.flow_id, m.enrollment_id, m.node_id, x.at)
  INSERT INTO flow_stats_daily (workspace_id, flow_id, version_id, node_id, day, metric, shard, value)
  SELECT t.workspace_id, t.flow_id, e.version_id, t.node_id, (t.at AT TIME ZONE 'UTC')::date, 'opened', v_shard, count(*)
  FROM touched t JOIN enrollments e ON e.id = t.enrollment_id
  WHERE t.flow_id IS NOT NULL AND t.node_id IS NOT NULL
  GROUP BY 1, 2, 3, 4, 5
  ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (flow_id, version_id, node_id, day, metric, shard) DO UPDATE SET value = flow_stats_daily.value + EXCLUDED.value;
  WITH touched AS (
    UPDATE messages m SET clicked_at = x.at
    FROM (SELECT message_id, min(occurred_at) AS at FROM new_rows WHERE type = 'clicked' GROUP BY message_id) x
    WHERE m.id = x.message_id AND m.clicked_at IS NULL
    RETURNING m.workspace_id, m.flow_id, m.enrollment_id, m.node_id, x.at)
  INSERT INTO flow_stats_daily (workspace_id, flow_id, version_id, node_id, day, metric, shard, value)
  SELECT t.workspace_id, t.flow_id, e.version_id, t.node_id, (t.at AT TIME ZONE 'UTC')::date, 'clicked', v_shard, count(*)
  FROM touched t JOIN enrollments e ON e.id = t.enrollment_id
  WHERE t.flow_id IS NOT NULL AND t.node_id IS NOT NULL
  GROUP BY 1, 2, 3, 4, 5
  ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (flow_id, version_id, node_id, day, metric, shard) DO UPDATE SET value = flow_stats_daily.value + EXCLUDED.value;
  WITH touched AS (
    UPDATE messages m SET bounced_at = x.at
    FROM (SELECT message_id, min(occurred_at) AS at FROM new_rows WHERE type = 'bounced' GROUP BY message_id) x
    WHERE m.id = x.message_id AND m.bounced_at IS NULL
    RETURNING m.workspace_id, m.flow_id, m.enrollment_id, m.node_id, x.at)
  INSERT INTO flow_stats_daily (workspace_id, flow_id, version_id, node_id, day, metric, shard, value)
  SELECT t.workspace_id, t.flow_id, e.version_id, t.node_id, (t.at AT TIME ZONE 'UTC')::date, 'bounced', v_shard, count(*)
  FROM touched t JOIN enrollments e ON e.id = t.enrollment_id
  WHERE t.flow_id IS NOT NULL AND t.node_id IS NOT NULL
  GROUP BY 1, 2, 3, 4, 5
  ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (flow_id, version_id, node_id, day, metric, shard) DO UPDATE SET value = flow_stats_daily.value + EXCLUDED.value;
  WITH touched AS (
    UPDATE messages m SET complained_at = x.at
    FROM (SELECT message_id, min(occurred_at) AS at FROM new_rows WHERE type = 'complained' GROUP BY message_id) x
    WHERE m.id = x.message_id AND m.complained_at IS NULL
    RETURNING m.workspace_id, m.flow_id, m.enrollment_id, m.node_id, x.at)
  INSERT INTO flow_stats_daily (workspace_id, flow_id, version_id, node_id, day, metric, shard, value)
  SELECT t.workspace_id, t.flow_id, e.version_id, t.node_id, (t.at AT TIME ZONE 'UTC')::date, 'complained', v_shard, count(*)
  FROM touched t JOIN enrollments e ON e.id = t.enrollment_id
  WHERE t.flow_id IS NOT NULL AND t.node_id IS NOT NULL
  GROUP BY 1, 2, 3, 4, 5
  ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (flow_id, version_id, node_id, day, metric, shard) DO UPDATE SET value = flow_stats_daily.value + EXCLUDED.value;
  WITH touched AS (
    UPDATE messages m SET unsubscribed_at = x.at
    FROM (SELECT message_id, min(occurred_at) AS at FROM new_rows WHERE type = 'unsubscribed' GROUP BY message_id) x
    WHERE m.id = x.message_id AND m.unsubscribed_at IS NULL
    RETURNING m.workspace_id, m.flow_id, m.enrollment_id, m.node_id, x.at)
  INSERT INTO flow_stats_daily (workspace_id, flow_id, version_id, node_id, day, metric, shard, value)
  SELECT t.workspace_id, t.flow_id, e.version_id, t.node_id, (t.at AT TIME ZONE 'UTC')::date, 'unsubscribed', v_shard, count(*)
  FROM touched t JOIN enrollments e ON e.id = t.enrollment_id
  WHERE t.flow_id IS NOT NULL AND t.node_id IS NOT NULL
  GROUP BY 1, 2, 3, 4, 5
  ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (flow_id, version_id, node_id, day, metric, shard) DO UPDATE SET value = flow_stats_daily.value + EXCLUDED.value;
  -- Every click, not only the first, for click totals.
  INSERT INTO flow_stats_daily (workspace_id, flow_id, version_id, node_id, day, metric, shard, value)
  SELECT m.workspace_id, m.flow_id, e.version_id, m.node_id, (n.occurred_at AT TIME ZONE 'UTC')::date, 'clicks', v_shard, count(*)
  FROM new_rows n JOIN messages m ON m.id = n.message_id JOIN enrollments e ON e.id = m.enrollment_id
  WHERE n.type = 'clicked' AND m.flow_id IS NOT NULL AND m.node_id IS NOT NULL
  GROUP BY 1, 2, 3, 4, 5
  ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (flow_id, version_id, node_id, day, metric, shard) DO UPDATE SET value = flow_stats_daily.value + EXCLUDED.value;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION tidings_stats_conversions_apply(p_rows jsonb) RETURNS void LANGUAGE plpgsql AS $$
DECLARE v_shard int := (txid_current() % 8)::int;
BEGIN
  WITH c AS (
    SELECT (r->>'workspace_id')::uuid AS workspace_id, (r->>'flow_id')::uuid AS flow_id, r->>'node_id' AS node_id,
           (r->>'value_cents')::bigint AS value_cents, ((r->>'occurred_at')::timestamptz AT TIME ZONE 'UTC')::date AS day,
           (r->>'credited')::boolean AS credited, (r->>'counted')::boolean AS counted,
           coalesce((SELECT e.version_id FROM enrollments e WHERE e.id = (r->>'enrollment_id')::uuid),
                    (SELECT e.version_id FROM messages m JOIN enrollments e ON e.id = m.enrollment_id WHERE m.id = (r->>'message_id')::uuid),
                    (SELECT f.live_version_id FROM flows f WHERE f.id = (r->>'flow_id')::uuid)) AS version_id
    FROM jsonb_array_elements(p_rows) r),
  metrics AS (
    SELECT workspace_id, flow_id, version_id, '*' AS node_id, day, 'conversions' AS metric, 1::bigint AS value FROM c WHERE counted
    UNION ALL SELECT workspace_id, flow_id, version_id, '*', day, 'revenue_cents', value_cents FROM c WHERE counted
    UNION ALL SELECT workspace_id, flow_id, version_id, node_id, day, 'conversions', 1 FROM c WHERE credited AND node_id IS NOT NULL
    UNION ALL SELECT workspace_id, flow_id, version_id, node_id, day, 'revenue_cents', value_cents FROM c WHERE credited AND node_id IS NOT NULL)
  INSERT INTO flow_stats_daily (workspace_id, flow_id, version_id, node_id, day, metric, shard, value)
  SELECT workspace_id, flow_id, version_id, node_id, day, metric, v_shard, sum(value) FROM metrics WHERE version_id IS NOT NULL
  GROUP BY 1, 2, 3, 4, 5, 6
  ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT (flow_id, version_id, node_id, day, metric, shard) DO UPDATE SET value = flow_stats_daily.value + EXCLUDED.value;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION tidings_stats_conversions_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM tidings_stats_conversions_apply(coalesce((
    SELECT jsonb_agg(jsonb_build_object('workspace_id', workspace_id, 'flow_id', flow_id, 'node_id', node_id, 'value_cents', value_cents,
      'occurred_at', occurred_at, 'enrollment_id', enrollment_id, 'message_id', message_id, 'counted', message_id IS NOT NULL, 'credited', message_id IS NOT NULL))
    FROM new_rows), '[]'::jsonb));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION tidings_stats_conversions_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM tidings_stats_conversions_apply(coalesce((
    SELECT jsonb_agg(jsonb_build_object('workspace_id', n.workspace_id, 'flow_id', n.flow_id, 'node_id', n.node_id, 'value_cents', n.value_cents,
      'occurred_at', n.occurred_at, 'enrollment_id', n.enrollment_id, 'message_id', n.message_id, 'counted', true, 'credited', true))
    FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE o.message_id IS NULL AND n.message_id IS NOT NULL), '[]'::jsonb));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER tidings_stats_steps AFTER INSERT ON enrollment_steps REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tidings_stats_steps();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER tidings_stats_enrollments AFTER UPDATE ON enrollments REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tidings_stats_enrollments();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER tidings_stats_messages_insert AFTER INSERT ON messages REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tidings_stats_messages_insert();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER tidings_stats_messages_update AFTER UPDATE ON messages REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tidings_stats_messages_update();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER tidings_stats_message_events AFTER INSERT ON message_events REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tidings_stats_message_events();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER tidings_stats_conversions_insert AFTER INSERT ON conversions REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tidings_stats_conversions_insert();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER tidings_stats_conversions_update AFTER UPDATE ON conversions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tidings_stats_conversions_update();
