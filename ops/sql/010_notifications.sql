-- Notifications (SPEC 4.5.2): subscriptions, the outbox of events, one delivery per event and subscription with
-- its attempts, and the grain states whose changes are announced.
--
-- The outbox rule: an event row is inserted in the SAME transaction as the state change that causes it, together
-- with the deliveries of the subscriptions that want it (Evaluation.Grains.Notifications.Outbox):
--   follow-up.overdue, appeal.decided: by the event log, in the transaction that logs the step and saves follow_up;
--   alert.*, audit.*: by NotifyingGrainStorage, in the transaction that writes the alert book or the audit case into
--                     notifying_grain_state (instead of the Orleans ADO.NET storage table, which cannot take part
--                     in our transaction).
-- Delivery workers in every silo lease subscriptions (FOR UPDATE SKIP LOCKED plus a lapsing lease) and send each
-- one's deliveries in seq order.

-- A subscription: a webhook (url, with a signing secret sealed by the silo's AES-GCM key, bound to the id: HMAC
-- needs the secret itself, so a hash would not do, and a database dump alone must not let anyone sign events) or
-- an e-mail address (immediate mail for escalations and high-severity alerts, a digest of the rest).
CREATE TABLE IF NOT EXISTS notification_subscription (
    id                 text PRIMARY KEY,
    url                text,
    email              text,
    events             text[]      NOT NULL,
    city_code          text,                  -- NULL: every city (supervisors only)
    secret_sealed      bytea,
    created_by         text        NOT NULL,
    created_role       text        NOT NULL,
    created_at         timestamptz NOT NULL,
    lease_owner        text,
    lease_until        timestamptz,
    digest_through     timestamptz,           -- the digest has covered events recorded up to here
    digest_lease_until timestamptz,
    CONSTRAINT notification_subscription_one_target CHECK ((url IS NULL) <> (email IS NULL)),
    CONSTRAINT notification_subscription_secret CHECK (url IS NULL OR secret_sealed IS NOT NULL)
);

-- The outbox. Ids are derived from the change (alert-17-raised, audit-<case>-<line>, follow-up-<id>-<line>), so a
-- change written twice is announced once. recorded_at is the commit-side time, for digests and latency.
CREATE TABLE IF NOT EXISTS notification_event (
    id          text PRIMARY KEY,
    type        text        NOT NULL,
    city_code   text        NOT NULL,
    occurred_at timestamptz NOT NULL,
    immediate   boolean     NOT NULL,
    data        jsonb       NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE INDEX IF NOT EXISTS notification_event_by_time ON notification_event (recorded_at);

-- One event for one subscription. The id is the body's id and X-Evaluation-Delivery, the same on every retry.
CREATE TABLE IF NOT EXISTS notification_delivery (
    id              uuid PRIMARY KEY,
    seq             bigserial   NOT NULL,
    subscription_id text        NOT NULL REFERENCES notification_subscription (id) ON DELETE CASCADE,
    event_id        text        NOT NULL REFERENCES notification_event (id),
    state           smallint    NOT NULL DEFAULT 0, -- DeliveryState: 0 pending, 1 delivered, 2 dead (given up)
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    give_up_at      timestamptz NOT NULL,
    delivered_at    timestamptz,
    UNIQUE (subscription_id, event_id)
);

CREATE INDEX IF NOT EXISTS notification_delivery_pending ON notification_delivery (subscription_id, seq) WHERE state = 0;
CREATE INDEX IF NOT EXISTS notification_delivery_log ON notification_delivery (subscription_id, seq DESC);

CREATE TABLE IF NOT EXISTS notification_attempt (
    id           bigserial PRIMARY KEY,
    delivery_id  uuid        NOT NULL REFERENCES notification_delivery (id) ON DELETE CASCADE,
    attempted_at timestamptz NOT NULL,
    status       integer,
    error        text,
    duration_ms  integer     NOT NULL
);

CREATE INDEX IF NOT EXISTS notification_attempt_by_delivery ON notification_attempt (delivery_id, id);

-- Grain states that announce their changes (the alert book, audit cases), Orleans-serialized, with a version for
-- optimistic concurrency. A state still in the ADO.NET storage table is read from there once and moves here.
CREATE TABLE IF NOT EXISTS notifying_grain_state (
    grain_key  text PRIMARY KEY,
    version    bigint      NOT NULL,
    payload    bytea       NOT NULL,
    written_at timestamptz NOT NULL
);

-- Silos read and write all of it (default privileges of 009_roles.sql already cover new tables and sequences;
-- granted again here for databases whose roles were created after that migration ran). The API hosts reach
-- notifications only through the silos (the secret is sealed with the silo's key), so they get nothing here.
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'evaluation_silo') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON notification_subscription, notification_event, notification_delivery,
            notification_attempt, notifying_grain_state TO evaluation_silo;
        GRANT USAGE, SELECT ON notification_delivery_seq_seq, notification_attempt_id_seq TO evaluation_silo;
        -- The outbox is append-only for the silos: events are never edited, and deleting one would lose it.
        REVOKE UPDATE, DELETE ON notification_event FROM evaluation_silo;
    END IF;
END$$;
