-- Keeps contact_event_last (each contact's last time of each event name) on every insert into
-- events, and when events move to another contact (an anonymous visitor identified, two
-- contacts merged). One upsert per statement for inserts, so a batch of events costs one
-- statement whatever its size.
CREATE OR REPLACE FUNCTION tidings_event_last_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO contact_event_last (workspace_id, contact_id, event_name, last_at)
  SELECT workspace_id, contact_id, name, max(occurred_at)
  FROM new_events WHERE contact_id IS NOT NULL
  GROUP BY workspace_id, contact_id, name
  ON CONFLICT (contact_id, event_name) DO UPDATE SET last_at = greatest(contact_event_last.last_at, excluded.last_at);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER events_last_insert AFTER INSERT ON events
  REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION tidings_event_last_insert();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION tidings_event_last_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO contact_event_last (workspace_id, contact_id, event_name, last_at)
  VALUES (NEW.workspace_id, NEW.contact_id, NEW.name, NEW.occurred_at)
  ON CONFLICT (contact_id, event_name) DO UPDATE SET last_at = greatest(contact_event_last.last_at, excluded.last_at);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER events_last_move AFTER UPDATE OF contact_id ON events
  FOR EACH ROW WHEN (NEW.contact_id IS NOT NULL AND NEW.contact_id IS DISTINCT FROM OLD.contact_id)
  EXECUTE FUNCTION tidings_event_last_move();
--> statement-breakpoint
-- A contact whose date, time zone or properties change is queued for its date-property
-- occurrences to be computed again (only while the workspace has such a flow built).
CREATE OR REPLACE FUNCTION tidings_contact_trigger_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM flow_trigger_due WHERE workspace_id = NEW.workspace_id) THEN
    INSERT INTO contact_trigger_dirty (workspace_id, contact_id) VALUES (NEW.workspace_id, NEW.id)
    ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER contacts_trigger_dirty_insert AFTER INSERT ON contacts
  FOR EACH ROW EXECUTE FUNCTION tidings_contact_trigger_dirty();
--> statement-breakpoint
CREATE TRIGGER contacts_trigger_dirty_update AFTER UPDATE ON contacts
  FOR EACH ROW WHEN (NEW.birthday IS DISTINCT FROM OLD.birthday OR NEW.timezone IS DISTINCT FROM OLD.timezone
    OR NEW.properties IS DISTINCT FROM OLD.properties)
  EXECUTE FUNCTION tidings_contact_trigger_dirty();
--> statement-breakpoint
-- A workspace's time zone is every zoneless contact's: its date-property flows are rebuilt.
CREATE OR REPLACE FUNCTION tidings_workspace_zone_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM flow_trigger_due WHERE workspace_id = NEW.id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER workspaces_zone_changed AFTER UPDATE OF timezone ON workspaces
  FOR EACH ROW WHEN (NEW.timezone IS DISTINCT FROM OLD.timezone)
  EXECUTE FUNCTION tidings_workspace_zone_changed();
--> statement-breakpoint
-- Existing history: each contact's last time of each event name. (contact_trigger_due needs no
-- backfill: the sweep builds a live date-property flow's occurrences when it finds none.)
INSERT INTO contact_event_last (workspace_id, contact_id, event_name, last_at)
SELECT workspace_id, contact_id, name, max(occurred_at) FROM events
WHERE contact_id IS NOT NULL
GROUP BY workspace_id, contact_id, name
ON CONFLICT (contact_id, event_name) DO UPDATE SET last_at = greatest(contact_event_last.last_at, excluded.last_at);
