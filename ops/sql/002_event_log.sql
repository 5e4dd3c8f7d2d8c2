-- The append-only event log: every accepted rating and service record, committed before
-- the source gets its acknowledgement. Aggregates are always derivable from this table.

-- Claims an idempotency key once, forever; a second claim of the same key is a duplicate.
CREATE TABLE IF NOT EXISTS event_key (
    dedup_key text PRIMARY KEY
);

-- The last log position handed out per institution. Rows are locked while a batch appends,
-- so positions of one institution are gap-free and commit in order.
CREATE TABLE IF NOT EXISTS institution_position (
    institution_id text PRIMARY KEY,
    last_position  bigint NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS event_log (
    seq            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    institution_id text        NOT NULL,
    position       bigint      NOT NULL,
    kind           smallint    NOT NULL, -- 0 evaluation, 1 service opened, 2 service completed
    source_id      text        NOT NULL,
    service_item   text        NOT NULL,
    channel        smallint    NOT NULL,
    domain         smallint    NOT NULL,
    day            date        NOT NULL, -- Asia/Shanghai day the event counts on
    occurred_at    timestamptz NOT NULL,
    level          smallint,
    tags           text[],
    comment        text,
    real_name      boolean,
    contact_sealed bytea,                -- AES-GCM sealed contact details; never plaintext
    accepted_at    timestamptz,
    completed_at   timestamptz,
    on_time        boolean,
    handling_hours double precision,
    had_open       boolean,
    received_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT event_log_institution_position UNIQUE (institution_id, position),
    CONSTRAINT event_log_level CHECK (kind <> 0 OR level BETWEEN 1 AND 5)
);

-- The log is append-only: corrections are new events, never edits.
CREATE OR REPLACE FUNCTION event_log_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'event_log is append-only (% refused)', TG_OP;
END$$;

DROP TRIGGER IF EXISTS event_log_append_only ON event_log;
CREATE TRIGGER event_log_append_only
    BEFORE UPDATE OR DELETE ON event_log
    FOR EACH ROW EXECUTE FUNCTION event_log_refuse_change();
