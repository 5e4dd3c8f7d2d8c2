-- Rating sources as first-class records (SPEC 4.5.2), and 一事一评 (one service, one rating).

-- A source created through the admin API. The key is never stored: only its salted SHA-256 (as for the configured
-- keys, 'base64(salt):base64(hash)'). A rotation keeps the previous hash until previous_valid_until, so a source can
-- switch over without a gap; a revocation ends both at once. Empty limit lists allow everything.
CREATE TABLE IF NOT EXISTS source (
    name                 text PRIMARY KEY,
    key_hash             text        NOT NULL,
    previous_key_hash    text,
    previous_valid_until timestamptz,
    cities               text[]      NOT NULL DEFAULT '{}',
    institutions         text[]      NOT NULL DEFAULT '{}',
    channels             text[]      NOT NULL DEFAULT '{}',
    per_minute           integer,                -- its own ingestion rate limit; NULL: Evaluation:RateLimits:IngestionPerMinute
    created_at           timestamptz NOT NULL DEFAULT now(),
    rotated_at           timestamptz,
    revoked_at           timestamptz,
    CONSTRAINT source_name CHECK (name ~ '^[a-z0-9][a-z0-9-]{0,31}$'),
    CONSTRAINT source_per_minute CHECK (per_minute IS NULL OR per_minute > 0)
);

-- Every logged event names the source that sent it (NULL for the events of staff and operators, and for events
-- logged before sources had names); source_id stays the item's own id at that source.
-- service_record_id: the 办件 a rating names; verified: it names a record its institution handled (for an exclusion,
-- the excluded rating's); rated_service_day: the event makes the service completed that day rated (评价率).
ALTER TABLE event_log ADD COLUMN IF NOT EXISTS source text;
ALTER TABLE event_log ADD COLUMN IF NOT EXISTS service_record_id text;
ALTER TABLE event_log ADD COLUMN IF NOT EXISTS verified boolean;
ALTER TABLE event_log ADD COLUMN IF NOT EXISTS rated_service_day date;

-- An operator lists (and may exclude) what one source sent in a time range.
CREATE INDEX IF NOT EXISTS event_log_by_source ON event_log (source, received_at) WHERE source IS NOT NULL;

-- The service records each institution is known to have handled, by the id their source gave them, and the day the
-- record was completed: what a rating's serviceRecordId is checked against in the same statements as the append.
CREATE TABLE IF NOT EXISTS service_record_ref (
    record_id      text NOT NULL,
    institution_id text NOT NULL,
    completed_day  date,
    PRIMARY KEY (record_id, institution_id)
);


-- Roles granted later (SELECT evaluation_grant_roles(), see 009_roles.sql) get the API's right to the sources too.
DO $$
BEGIN
    IF to_regprocedure('evaluation_grant_roles_before_sources()') IS NULL THEN
        ALTER FUNCTION evaluation_grant_roles() RENAME TO evaluation_grant_roles_before_sources;
    END IF;
END$$;

CREATE OR REPLACE FUNCTION evaluation_grant_roles() RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    outcome text := evaluation_grant_roles_before_sources();
BEGIN
    IF outcome = 'granted' THEN
        GRANT SELECT, INSERT, UPDATE ON source TO evaluation_api;
        REVOKE ALL ON source FROM evaluation_silo;
        -- The exceptions 010 and 011 made, which the blanket grants above would undo on a second run.
        REVOKE UPDATE, DELETE ON notification_event FROM evaluation_silo;
        REVOKE ALL ON monthly_report FROM evaluation_silo;
        GRANT SELECT, INSERT ON monthly_report TO evaluation_api;
    END IF;
    RETURN outcome;
END$$;

-- API hosts authenticate sources and administer them; silos never need the key hashes.
SELECT evaluation_grant_roles();
