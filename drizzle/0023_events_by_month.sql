-- History tables by month: the database functions the history sweep (`server/db/history.ts`)
-- and the migrations that partition a table call.
--
-- This file is the one place to read and change them; the migration that partitions `events`
-- applies it (a later change is applied by a custom migration whose SQL is this file).
--
-- A history table is partitioned by RANGE on its time column, one partition per UTC month,
-- named `<table>_pYYYY_MM`, plus `<table>_default` for rows no month holds yet. A month whose
-- rows were expired but some had to stay (orders) is rebuilt with only those rows, named
-- `<table>_pYYYY_MM_kept`.

-- The partition of `parent` for the UTC month starting at `month`, created if missing. Rows of
-- that month already in the default partition move into it (straight into the partition, so
-- the parent's statement triggers do not count them again).
CREATE OR REPLACE FUNCTION tidings_history_partition(parent text, month date) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  from_at timestamptz := (date_trunc('month', month::timestamp) AT TIME ZONE 'UTC');
  to_at timestamptz := ((date_trunc('month', month::timestamp) + interval '1 month') AT TIME ZONE 'UTC');
  name text := format('%s_p%s', parent, to_char(month, 'YYYY_MM'));
  col text := substring(pg_get_partkeydef(parent::regclass) from '\((\w+)\)');
  fallback text := parent || '_default';
  moving boolean := false;
BEGIN
  IF EXISTS (
    SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = parent::regclass AND c.relname IN (name, name || '_kept')
  ) THEN
    RETURN name;
  END IF;
  IF to_regclass(fallback) IS NOT NULL THEN
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE %I >= %L AND %I < %L)', fallback, col, from_at, col, to_at)
      INTO moving;
  END IF;
  IF moving THEN
    EXECUTE format('CREATE TEMP TABLE tidings_history_moving (LIKE %I)', parent);
    EXECUTE format(
      'WITH moved AS (DELETE FROM %I WHERE %I >= %L AND %I < %L RETURNING *) INSERT INTO tidings_history_moving SELECT * FROM moved',
      fallback, col, from_at, col, to_at);
  END IF;
  EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)', name, parent, from_at, to_at);
  IF moving THEN
    EXECUTE format('INSERT INTO %I SELECT * FROM tidings_history_moving', name);
    DROP TABLE tidings_history_moving;
  END IF;
  RETURN name;
END $$;
--> statement-breakpoint
-- Expires the month of `parent` starting at `month`: drops its partition, or, when `keep` (an
-- SQL condition on the table's columns) holds for some of its rows, rebuilds the month with
-- only those rows as `<partition>_kept`. Returns the rows dropped (not kept).
CREATE OR REPLACE FUNCTION tidings_history_expire(parent text, month date, keep text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  from_at timestamptz := (date_trunc('month', month::timestamp) AT TIME ZONE 'UTC');
  to_at timestamptz := ((date_trunc('month', month::timestamp) + interval '1 month') AT TIME ZONE 'UTC');
  name text := format('%s_p%s', parent, to_char(month, 'YYYY_MM'));
  total bigint;
  kept bigint := 0;
BEGIN
  IF to_regclass(name) IS NULL THEN
    RETURN 0;
  END IF;
  EXECUTE format('SELECT count(*) FROM %I', name) INTO total;
  IF keep IS NOT NULL THEN
    EXECUTE format('CREATE TEMP TABLE tidings_history_kept AS SELECT * FROM %I WHERE %s', name, keep);
    SELECT count(*) FROM tidings_history_kept INTO kept;
  END IF;
  EXECUTE format('ALTER TABLE %I DETACH PARTITION %I', parent, name);
  EXECUTE format('DROP TABLE %I', name);
  IF keep IS NOT NULL THEN
    IF kept > 0 THEN
      EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)', name || '_kept', parent, from_at, to_at);
      EXECUTE format('INSERT INTO %I SELECT * FROM tidings_history_kept', name || '_kept');
    END IF;
    DROP TABLE tidings_history_kept;
  END IF;
  RETURN total - kept;
END $$;
--> statement-breakpoint
-- events, partitioned by month of occurred_at. Every row is kept: the table is rebuilt as a
-- partitioned parent with a partition per month from its oldest month (at most 10 years back;
-- older rows go to the default partition) to 3 months ahead, the rows are copied, and the
-- keys, indexes and triggers are made again on the parent under their names.
ALTER TABLE "events" RENAME TO "events_unpartitioned";
--> statement-breakpoint
CREATE TABLE "events" (LIKE "events_unpartitioned" INCLUDING DEFAULTS) PARTITION BY RANGE ("occurred_at");
--> statement-breakpoint
CREATE TABLE "events_default" PARTITION OF "events" DEFAULT;
--> statement-breakpoint
DO $$
DECLARE
  m date := greatest(
    coalesce((SELECT date_trunc('month', min(occurred_at) AT TIME ZONE 'UTC')::date FROM events_unpartitioned), current_date),
    (date_trunc('month', now() AT TIME ZONE 'UTC') - interval '120 months')::date
  );
  last date := (date_trunc('month', now() AT TIME ZONE 'UTC') + interval '3 months')::date;
BEGIN
  m := least(m, date_trunc('month', now() AT TIME ZONE 'UTC')::date);
  WHILE m <= last LOOP
    PERFORM tidings_history_partition('events', m);
    m := (m + interval '1 month')::date;
  END LOOP;
END $$;
--> statement-breakpoint
INSERT INTO "events" SELECT * FROM "events_unpartitioned";
--> statement-breakpoint
INSERT INTO "event_keys" ("workspace_id", "idempotency_key", "event_id", "occurred_at")
SELECT "workspace_id", "idempotency_key", "id", "occurred_at" FROM "events_unpartitioned";
--> statement-breakpoint
DROP TABLE "events_unpartitioned";
--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_id_occurred_at_pk" PRIMARY KEY ("id", "occurred_at");
--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "events_workspace_contact_name_time_idx" ON "events" USING btree ("workspace_id","contact_id","name","occurred_at");
--> statement-breakpoint
CREATE INDEX "events_workspace_name_time_idx" ON "events" USING btree ("workspace_id","name","occurred_at");
--> statement-breakpoint
CREATE INDEX "events_workspace_time_id_idx" ON "events" USING btree ("workspace_id","occurred_at","id");
--> statement-breakpoint
CREATE INDEX "events_workspace_contact_time_idx" ON "events" USING btree ("workspace_id","contact_id","occurred_at","id");
--> statement-breakpoint
CREATE INDEX "events_untriggered_idx" ON "events" USING btree ("received_at") WHERE "events"."triggered_at" is null;
--> statement-breakpoint
CREATE INDEX "events_workspace_anonymous_idx" ON "events" USING btree ("workspace_id","anonymous_id") WHERE "events"."anonymous_id" is not null and "events"."contact_id" is null;
--> statement-breakpoint
CREATE TRIGGER events_last_insert AFTER INSERT ON events
  REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION tidings_event_last_insert();
--> statement-breakpoint
CREATE TRIGGER events_last_move AFTER UPDATE OF contact_id ON events
  FOR EACH ROW WHEN (NEW.contact_id IS NOT NULL AND NEW.contact_id IS DISTINCT FROM OLD.contact_id)
  EXECUTE FUNCTION tidings_event_last_move();
--> statement-breakpoint
-- An event's idempotency key is unique in its workspace across all months: every insert writes
-- its keys to event_keys, and a key held by another event is refused as a unique violation
-- (ingest claims its keys first, so a repeat is skipped there rather than refused).
CREATE OR REPLACE FUNCTION tidings_event_keys_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO event_keys (workspace_id, idempotency_key, event_id, occurred_at)
  SELECT workspace_id, idempotency_key, id, occurred_at FROM new_events
  ON CONFLICT DO NOTHING;
  IF EXISTS (
    SELECT 1 FROM new_events n
    JOIN event_keys k ON k.workspace_id = n.workspace_id AND k.idempotency_key = n.idempotency_key
    WHERE k.event_id <> n.id
  ) THEN
    RAISE EXCEPTION 'duplicate key value violates unique constraint "event_keys_workspace_id_idempotency_key_pk"'
      USING ERRCODE = 'unique_violation', CONSTRAINT = 'event_keys_workspace_id_idempotency_key_pk', TABLE = 'events';
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER events_keys_insert AFTER INSERT ON events
  REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION tidings_event_keys_insert();
