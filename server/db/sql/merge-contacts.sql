-- One contact per email: merging a contact into another one.
--
-- This file is the one place to read and change how two contacts become one. The migration
-- `drizzle/*_one_contact_per_email.sql` applies it (and merges the duplicates an installation
-- already had before making the email unique); `server/db/merge-contacts.int.test.ts` checks the
-- database's function body is this file's. Ingest calls it through `mergeContacts`
-- (`server/contacts/merge.ts`) when an identify names an email another contact already has.
--
-- What happens to the merged contact's things, in one transaction:
--   journeys     move to the survivor. If the survivor is already on the same flow (the same
--                entry key) the merged contact's active journey is cancelled (exit reason
--                `merged`), so nobody gets a flow's messages twice. Journeys of the same
--                occurrence (one event, one date) keep both, the merged one's key suffixed.
--   back in stock one subscription per product: the survivor's stays.
--   everything else that references the contact (events, messages, conversions, consent
--                records, push subscriptions, webhook calls, and tables added later) moves;
--                a later table with a per-contact unique key keeps the survivor's row.
--   the profile  the survivor's values win; its blanks are filled from the merged contact;
--                properties and tags are combined; anonymous ids are joined; on each channel an
--                unsubscribe on either side wins over a subscription, which wins over none.
-- A row in contact_merges records it (the old id, userId, email and anonymous ids, and what moved),
-- then the merged contact is deleted.
CREATE OR REPLACE FUNCTION tidings_merge_contacts(p_survivor uuid, p_merged uuid, p_reason text, p_at timestamptz) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  s contacts%ROWTYPE;
  m contacts%ROWTYPE;
  v_moved jsonb := '{}'::jsonb;
  v_count bigint;
  v_fk record;
BEGIN
  IF p_survivor = p_merged THEN
    RAISE EXCEPTION 'tidings_merge_contacts: a contact cannot be merged into itself';
  END IF;
  -- Both rows locked in id order, so two merges of one pair queue instead of deadlocking.
  PERFORM 1 FROM contacts WHERE id IN (p_survivor, p_merged) ORDER BY id FOR UPDATE;
  SELECT * INTO s FROM contacts WHERE id = p_survivor;
  SELECT * INTO m FROM contacts WHERE id = p_merged;
  IF s.id IS NULL OR m.id IS NULL THEN
    RAISE EXCEPTION 'tidings_merge_contacts: contact % or % not found', p_survivor, p_merged;
  END IF;
  IF s.workspace_id <> m.workspace_id THEN
    RAISE EXCEPTION 'tidings_merge_contacts: contacts of two workspaces';
  END IF;

  UPDATE enrollments e
  SET status = 'cancelled', exit_reason = 'merged', next_run_at = NULL, locked_until = NULL, ended_at = p_at, updated_at = p_at
  WHERE e.contact_id = p_merged AND e.status = 'active'
    AND EXISTS (
      SELECT 1 FROM enrollments o
      WHERE o.contact_id = p_survivor AND o.flow_id = e.flow_id AND o.entry_key = e.entry_key AND o.status = 'active');
  GET DIAGNOSTICS v_count = ROW_COUNT;
  IF v_count > 0 THEN
    v_moved := v_moved || jsonb_build_object('enrollments_cancelled', v_count);
  END IF;
  UPDATE enrollments e SET occurrence_key = e.occurrence_key || '#merged:' || p_merged::text
  WHERE e.contact_id = p_merged
    AND EXISTS (
      SELECT 1 FROM enrollments o
      WHERE o.contact_id = p_survivor AND o.flow_id = e.flow_id AND o.occurrence_key = e.occurrence_key);

  DELETE FROM back_in_stock_subscriptions b
  WHERE b.contact_id = p_merged
    AND EXISTS (
      SELECT 1 FROM back_in_stock_subscriptions o
      WHERE o.contact_id = p_survivor AND o.workspace_id = b.workspace_id AND o.product_id = b.product_id);

  UPDATE ingested_messages SET contact_id = p_survivor WHERE workspace_id = m.workspace_id AND contact_id = p_merged;

  FOR v_fk IN
    SELECT c.conrelid::regclass::text AS tbl, a.attname::text AS col
    FROM pg_constraint c
    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
    WHERE c.contype = 'f' AND c.confrelid = 'contacts'::regclass AND cardinality(c.conkey) = 1
    ORDER BY 1, 2
  LOOP
    BEGIN
      EXECUTE format('UPDATE %s SET %I = $1 WHERE %I = $2', v_fk.tbl, v_fk.col, v_fk.col) USING p_survivor, p_merged;
      GET DIAGNOSTICS v_count = ROW_COUNT;
      IF v_count > 0 THEN
        v_moved := v_moved || jsonb_build_object(v_fk.tbl, v_count);
      END IF;
    EXCEPTION WHEN unique_violation THEN
      v_moved := v_moved || jsonb_build_object(v_fk.tbl || ':kept_survivors', 1);
    END;
  END LOOP;

  -- Free the merged contact's unique keys before the survivor takes them.
  UPDATE contacts SET external_id = NULL, email = NULL WHERE id = p_merged;
  UPDATE contacts SET
    external_id = coalesce(s.external_id, m.external_id),
    email = coalesce(s.email, m.email),
    phone = coalesce(s.phone, m.phone),
    first_name = coalesce(s.first_name, m.first_name),
    last_name = coalesce(s.last_name, m.last_name),
    timezone = coalesce(s.timezone, m.timezone),
    birthday = coalesce(s.birthday, m.birthday),
    country = coalesce(s.country, m.country),
    properties = m.properties || s.properties,
    tags = array(SELECT DISTINCT t FROM unnest(s.tags || m.tags) AS t ORDER BY t),
    anonymous_ids = s.anonymous_ids || array(SELECT unnest(m.anonymous_ids) EXCEPT SELECT unnest(s.anonymous_ids)),
    email_consent = (CASE
      WHEN 'unsubscribed' IN (s.email_consent, m.email_consent) THEN 'unsubscribed'
      WHEN 'subscribed' IN (s.email_consent, m.email_consent) THEN 'subscribed'
      ELSE 'none' END)::consent_status,
    sms_consent = (CASE
      WHEN 'unsubscribed' IN (s.sms_consent, m.sms_consent) THEN 'unsubscribed'
      WHEN 'subscribed' IN (s.sms_consent, m.sms_consent) THEN 'subscribed'
      ELSE 'none' END)::consent_status,
    push_consent = (CASE
      WHEN 'unsubscribed' IN (s.push_consent, m.push_consent) THEN 'unsubscribed'
      WHEN 'subscribed' IN (s.push_consent, m.push_consent) THEN 'subscribed'
      ELSE 'none' END)::consent_status,
    link_version = greatest(s.link_version, m.link_version),
    created_at = least(s.created_at, m.created_at),
    updated_at = p_at
  WHERE id = p_survivor;

  INSERT INTO contact_merges (workspace_id, survivor_id, merged_id, merged_external_id, merged_email, merged_anonymous_ids, reason, moved, merged_at)
  VALUES (s.workspace_id, p_survivor, p_merged, m.external_id, m.email, m.anonymous_ids, p_reason, v_moved, p_at);
  DELETE FROM contacts WHERE id = p_merged;
  RETURN v_moved;
END $$;
