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
