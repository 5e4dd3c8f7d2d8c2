-- Raters' contacts are personal data with a lifetime (issue 13): they live only with their follow-up, where they
-- can be sealed again under a new key and erased after the retention period, never in the append-only log.

-- The id of the key a contact is sealed with (see ContactSealer: "EVC1", id length, id, …); null for seals from
-- before key ids, which a re-seal moves to the current key.
ALTER TABLE follow_up ADD COLUMN IF NOT EXISTS contact_key_id text GENERATED ALWAYS AS (
    CASE WHEN substring(contact_sealed FROM 1 FOR 4) = '\x45564331'::bytea
         THEN encode(substring(contact_sealed FROM 6 FOR get_byte(contact_sealed, 4)), 'escape') END) STORED;

CREATE INDEX IF NOT EXISTS follow_up_sealed_contacts ON follow_up (contact_key_id) WHERE contact_sealed IS NOT NULL;

-- Every 差评's contact was copied into follow_up when it was logged; the log's copies are erased once, here, with
-- the append-only trigger lifted for this transaction only, and the log refuses contacts from now on.
ALTER TABLE event_log DISABLE TRIGGER event_log_append_only;
UPDATE event_log SET contact_sealed = NULL WHERE contact_sealed IS NOT NULL;
ALTER TABLE event_log ENABLE TRIGGER event_log_append_only;
ALTER TABLE event_log DROP CONSTRAINT IF EXISTS event_log_no_contact;
ALTER TABLE event_log ADD CONSTRAINT event_log_no_contact CHECK (contact_sealed IS NULL);
