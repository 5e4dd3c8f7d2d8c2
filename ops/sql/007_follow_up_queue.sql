-- The city officer's 差评 queue (issue 12): filters by institution, service item, channel and level, ordered by
-- the deadline of the stage each follow-up is in; and the record of every time an officer opened a rater's contact.
ALTER TABLE follow_up
    ADD COLUMN IF NOT EXISTS institution_id text,
    ADD COLUMN IF NOT EXISTS service_item   text,
    ADD COLUMN IF NOT EXISTS channel        smallint,
    ADD COLUMN IF NOT EXISTS level          smallint,
    ADD COLUMN IF NOT EXISTS due_at         timestamptz, -- deadline of the current stage; null when nothing is due
    ADD COLUMN IF NOT EXISTS overdue_noted  boolean NOT NULL DEFAULT false; -- the current stage's lateness is logged

UPDATE follow_up SET
    institution_id = document->>'InstitutionId',
    service_item   = document->>'ServiceItem',
    channel        = (document->>'Channel')::smallint,
    level          = (document->>'Level')::smallint,
    due_at         = CASE state WHEN 0 THEN call_back_deadline WHEN 1 THEN rectify_deadline END
WHERE institution_id IS NULL;

CREATE INDEX IF NOT EXISTS follow_up_by_due ON follow_up (city_code, due_at NULLS LAST, id COLLATE "C");
CREATE INDEX IF NOT EXISTS follow_up_by_state ON follow_up (state, due_at);

CREATE TABLE IF NOT EXISTS contact_reveal (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    follow_up_id   text        NOT NULL REFERENCES follow_up (id),
    city_code      text        NOT NULL,
    institution_id text        NOT NULL,
    actor          text        NOT NULL,
    role           text        NOT NULL,
    revealed_at    timestamptz NOT NULL
);

CREATE INDEX IF NOT EXISTS contact_reveal_by_city ON contact_reveal (city_code, id DESC);

-- Reveals are evidence: never edited or removed. One refusal for every append-only table from here on.
CREATE OR REPLACE FUNCTION refuse_change_of_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP;
END$$;

DROP TRIGGER IF EXISTS contact_reveal_append_only ON contact_reveal;
CREATE TRIGGER contact_reveal_append_only
    BEFORE UPDATE OR DELETE ON contact_reveal
    FOR EACH ROW EXECUTE FUNCTION refuse_change_of_append_only();
