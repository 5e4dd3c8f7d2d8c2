-- The event log, partitioned by month of `day` (the Asia/Shanghai day an event counts on).
--
-- Why `day` and not `received_at` or `seq`: 好差评 data is reported, checked and archived per
-- business month, so a month's partition is exactly what a monthly report scans and what an
-- archive detaches. A late rating (ingestion accepts up to 366 days back) lands in its old month,
-- where every report of that month expects it. Replay reads one institution by position across
-- all partitions through each partition's (institution_id, position, day) index.
--
-- Re-runnable: the conversion happens only while event_log is still a plain table, and the
-- partition function only adds what is missing.

-- Creates each missing monthly partition event_log_YYYY_MM for the months from_month to to_month
-- (both included; any day of a month stands for the month) and answers how many it created.
-- Creating a partition locks event_log exclusively for a moment, so a month that exists already
-- costs a catalogue look-up and nothing else. Callers queue on an advisory lock: a second silo
-- running this at the same time waits, then finds the partitions made and creates none. A table
-- of a partition's name that is not a partition of event_log makes the call fail loudly.
CREATE OR REPLACE FUNCTION ensure_event_log_partitions(from_month date, to_month date) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    first_day date := date_trunc('month', from_month)::date;
    created   integer := 0;
    part      text;
BEGIN
    -- 0x4576616C50617274 spells "EvalPart"; held until the caller's transaction ends.
    PERFORM pg_advisory_xact_lock(5005295153701810804);
    WHILE first_day <= to_month LOOP
        part := 'event_log_' || to_char(first_day, 'YYYY_MM');
        IF NOT EXISTS (SELECT 1 FROM pg_inherits
                       WHERE inhparent = 'event_log'::regclass AND inhrelid = to_regclass(part)) THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF event_log FOR VALUES FROM (%L) TO (%L)',
                           part, first_day, (first_day + interval '1 month')::date);
            created := created + 1;
        END IF;
        first_day := (first_day + interval '1 month')::date;
    END LOOP;
    RETURN created;
END$$;

DO $$
BEGIN
    IF (SELECT relkind FROM pg_class WHERE oid = 'event_log'::regclass) <> 'r' THEN
        RETURN;
    END IF;

    -- The old table gives its index and sequence names up to the new one and stays until its rows are copied.
    ALTER TABLE event_log RENAME TO event_log_unpartitioned;
    ALTER INDEX event_log_pkey RENAME TO event_log_unpartitioned_pkey;
    ALTER INDEX event_log_institution_position RENAME TO event_log_unpartitioned_institution_position;
    ALTER SEQUENCE event_log_seq_seq RENAME TO event_log_unpartitioned_seq_seq;

    -- The same columns in the same order as 002. A unique constraint of a partitioned table must
    -- contain the partition key, so both keys gain `day`:
    -- * seq stays unique because only its identity hands values out (rows never move between months,
    --   the log being append-only);
    -- * (institution_id, position) stays unique by construction: positions are handed out under the
    --   row lock on institution_position, which the same transaction advances. The index no longer
    --   refuses one position logged on two different days, which only a broken appender could
    --   produce; enforcing that across months would take a second, unpartitioned table written on
    --   every append, for a case the row lock already rules out.
    -- The (institution_id, position, day) index of each partition serves replay:
    -- WHERE institution_id = $1 AND position > $2 ORDER BY position, merged across partitions.
    CREATE TABLE event_log (
        seq            bigint GENERATED ALWAYS AS IDENTITY,
        institution_id text        NOT NULL,
        position       bigint      NOT NULL,
        kind           smallint    NOT NULL, -- 0 evaluation, 1 service opened, 2 service completed, 3 evaluation excluded
        source_id      text        NOT NULL,
        service_item   text        NOT NULL,
        channel        smallint    NOT NULL,
        domain         smallint    NOT NULL,
        day            date        NOT NULL, -- Asia/Shanghai day the event counts on; the partition key
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
        CONSTRAINT event_log_pkey PRIMARY KEY (seq, day),
        CONSTRAINT event_log_institution_position UNIQUE (institution_id, position, day),
        CONSTRAINT event_log_level CHECK (kind <> 0 OR level BETWEEN 1 AND 5)
    ) PARTITION BY RANGE (day);

    -- Still append-only; a row trigger on the parent is cloned onto every partition, present and future,
    -- so writing to a partition directly is refused as well.
    CREATE TRIGGER event_log_append_only
        BEFORE UPDATE OR DELETE ON event_log
        FOR EACH ROW EXECUTE FUNCTION event_log_refuse_change();

    -- No DEFAULT partition: a row whose month has no partition fails its whole batch loudly ("no
    -- partition of relation "event_log" found for row") and nothing of it is acknowledged. With a
    -- default partition such rows would be taken silently, and creating their month's partition later
    -- would fail until someone moved them out by hand. The silo keeps the months ahead created
    -- (EventLogPartitionMaintenance), far beyond the 5 minutes ingestion accepts into the future.
    PERFORM ensure_event_log_partitions(month, month)
    FROM (SELECT DISTINCT date_trunc('month', day)::date AS month FROM event_log_unpartitioned) AS present;

    -- Every row with its seq (so nothing that refers to it changes) and position.
    INSERT INTO event_log (seq, institution_id, position, kind, source_id, service_item, channel, domain, day,
            occurred_at, level, tags, comment, real_name, contact_sealed, accepted_at, completed_at, on_time,
            handling_hours, had_open, received_at)
        OVERRIDING SYSTEM VALUE
        SELECT seq, institution_id, position, kind, source_id, service_item, channel, domain, day,
            occurred_at, level, tags, comment, real_name, contact_sealed, accepted_at, completed_at, on_time,
            handling_hours, had_open, received_at
        FROM event_log_unpartitioned;

    -- New appends continue after every value the old sequence handed out, including those of
    -- rolled-back batches, so no seq is ever issued twice.
    PERFORM setval(pg_get_serial_sequence('event_log', 'seq'), greatest(s.last_value, m.top), s.is_called OR m.top IS NOT NULL)
    FROM event_log_unpartitioned_seq_seq AS s, (SELECT max(seq) AS top FROM event_log_unpartitioned) AS m;

    DROP TABLE event_log_unpartitioned;
END$$;

-- The ingestion window (366 days back, Asia/Shanghai) reaches at most 13 months back; 3 months
-- ahead leaves the daily maintenance a quarter of retries before a missing month could matter.
SELECT ensure_event_log_partitions(
    (date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai') - interval '13 months')::date,
    (date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai') + interval '3 months')::date);
