-- Each contact's last time of each event (contact_event_last), kept on every insert into
-- events: the statement's latest per contact and name, upserted in key order (two batches
-- naming the same contacts queue instead of deadlocking), and written only when it is newer
-- than the stored one (an older or equal event leaves the row, its index entries and the
-- table's free space alone).
CREATE OR REPLACE FUNCTION tidings_event_last_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO contact_event_last (workspace_id, contact_id, event_name, last_at)
  SELECT workspace_id, contact_id, name, max(occurred_at)
  FROM new_events WHERE contact_id IS NOT NULL
  GROUP BY workspace_id, contact_id, name
  ORDER BY contact_id, name
  ON CONFLICT (contact_id, event_name) DO UPDATE SET last_at = excluded.last_at
    WHERE contact_event_last.last_at < excluded.last_at;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION tidings_event_last_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO contact_event_last (workspace_id, contact_id, event_name, last_at)
  VALUES (NEW.workspace_id, NEW.contact_id, NEW.name, NEW.occurred_at)
  ON CONFLICT (contact_id, event_name) DO UPDATE SET last_at = excluded.last_at
    WHERE contact_event_last.last_at < excluded.last_at;
  RETURN NULL;
END $$;
