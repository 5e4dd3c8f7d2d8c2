-- The follow-ups of 差评 (SPEC 3.4), one row each, keyed by the rating's id. A row is inserted in the same
-- transaction that logs the 差评, so an acknowledged 差评 always has its follow-up; the follow-up grain
-- then saves each step here. The city console lists from this table, newest first.
CREATE TABLE IF NOT EXISTS follow_up (
    id                 text PRIMARY KEY,
    city_code          text        NOT NULL,
    state              smallint    NOT NULL, -- FollowUpState: 0 open, 1 rectifying, 2 appealed, 3 closed, 4 excluded
    opened_at          timestamptz NOT NULL,
    call_back_deadline timestamptz NOT NULL,
    rectify_deadline   timestamptz,
    revision           integer     NOT NULL, -- length of the history; a save must follow the revision it read
    document           jsonb       NOT NULL, -- the follow-up as the API shows it; never the contact
    opening            jsonb       NOT NULL, -- what an exclusion event repeats of the rating; never the contact
    contact_sealed     bytea                 -- AES-GCM sealed, as in event_log
);

CREATE INDEX IF NOT EXISTS follow_up_by_city ON follow_up (city_code, opened_at DESC, id COLLATE "C");
