using System.Text;
using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Registry;
using Evaluation.Grains.Cases;
using Evaluation.Grains.Notifications;
using Npgsql;
using NpgsqlTypes;

namespace Evaluation.Grains.EventLog;

/// <summary>
/// The event log on PostgreSQL. A batch costs a handful of round-trips whatever its size:
/// binary COPY into a session temp table, then one set-based statement list that claims keys,
/// numbers the new events per institution, appends them and opens the follow-ups of new 差评.
/// A rater's sealed contact goes to the follow-up only, never into the append-only log, so it can be erased.
/// A follow-up step people are told of (a passed deadline, an appeal decided) writes its outbox event in the same
/// transaction (<see cref="FollowUpNotifications"/>).
/// </summary>
public sealed class PostgresEventLog(NpgsqlDataSource dataSource, NotificationSettings? notifications = null) : IEventLog
{
    // Created in each batch's transaction and dropped with it. Kept for the session (ON COMMIT DELETE ROWS, which saved
    // the catalogue writes of creating them per batch), they made every backend that ever appended hang at its exit
    // under synchronous replication: PostgreSQL drops a session's temp tables at exit in a transaction of its own,
    // whose commit waits for the standby, and a dying backend cannot be told to stop waiting. A planned switchover
    // stops the old primary exactly when the standby no longer replicates, so its fast shutdown never finished
    // (the failover tests hung on it).
    // No index: every statement joins them whole (hash joins), and a primary key cost a tenth of the statement list's
    // CPU. ord is unique without one: the log numbers the rows it copies, and claimed takes an ord at most once.
    private const string PrepareSql = """
        CREATE TEMP TABLE incoming (
            ord int NOT NULL, dedup_key text NOT NULL, open_key text, institution_id text NOT NULL,
            kind smallint NOT NULL, source_id text NOT NULL, service_item text NOT NULL, channel smallint NOT NULL,
            domain smallint NOT NULL, day date NOT NULL, occurred_at timestamptz NOT NULL, level smallint,
            tags text[], comment text, real_name boolean, contact_sealed bytea, accepted_at timestamptz,
            completed_at timestamptz, on_time boolean, handling_hours double precision,
            follow_up jsonb, follow_up_opening jsonb, follow_up_city text, follow_up_opened_at timestamptz, follow_up_deadline timestamptz,
            left_overdue boolean, follow_up_revision int, follow_up_state smallint, follow_up_rectify_deadline timestamptz,
            follow_up_due_at timestamptz, follow_up_from_revision int, follow_up_overdue_noted boolean,
            follow_up_id text, source text, service_record_id text, record_key text, verified boolean NOT NULL,
            record_of_institution text, rated_service_day date, topics text[]
        ) ON COMMIT DROP;
        CREATE TEMP TABLE claimed (ord int NOT NULL, had_open boolean NOT NULL DEFAULT false) ON COMMIT DROP;
        """;

    private const string CopySql = """
        COPY incoming (ord, dedup_key, open_key, institution_id, kind, source_id, service_item, channel, domain, day,
            occurred_at, level, tags, comment, real_name, contact_sealed, accepted_at, completed_at, on_time, handling_hours,
            follow_up, follow_up_opening, follow_up_city, follow_up_opened_at, follow_up_deadline,
            left_overdue, follow_up_revision, follow_up_state, follow_up_rectify_deadline, follow_up_due_at, follow_up_from_revision, follow_up_overdue_noted,
            follow_up_id, source, service_record_id, record_key, verified, topics)
        FROM STDIN (FORMAT BINARY)
        """;

    // The institutions' row locks serialise every batch that shares an institution (with batches of 1,000 over a few
    // hundred institutions: every batch), so they are taken as late as possible, and nothing before them waits on them:
    // the position row of a new institution is inserted only when it is missing (ON CONFLICT alone would wait for the
    // batch that holds an existing row's lock, to see whether its update commits); after the key claims, which need no
    // lock of ours (the unique index gives each key one winner; a claim waits only for a batch holding the same key, and
    // that batch waits on institution locks only, never on keys), and only for institutions with a claimed event, so a
    // batch of re-sent items never queues. Locks are always taken in the same order (institutions by id, keys by key)
    // so concurrent batches queue behind each other instead of deadlocking. Sorts whose order only has to be the same
    // in every batch (the key claims, the numbering) compare bytes (COLLATE "C"): under the database's C.UTF-8 a sort
    // of a batch's keys goes through the locale and without abbreviated keys.
    // 一事一评: a rating naming a record that only another institution handled is refused before its key is claimed, so
    // it can be sent again corrected. Whether the rating is verified and which completed service it makes rated is
    // decided under the lock: a record and a rating of it concern the same institution, so their batches take turns
    // and exactly one of them sees the other (a completion that finds the rating's key claimed, or a rating that finds
    // the record completed). An exclusion (kinds 3 and 10) takes the topics of the rating it excludes from the log, so it
    // subtracts exactly what that rating added (none for one logged before topics); an exclusion's source_id is the
    // rating's reference (SourceNames.Qualify).
    // A statement that can find nothing in a batch is left out of its list (StatementsFor): a batch of plain ratings
    // names no service record, opens nothing and excludes nothing, and each statement left out is a pass over the
    // session table and a plan fewer (docs/performance.md, round 4).
    private const string PositionsSql = """
        INSERT INTO institution_position (institution_id)
            SELECT DISTINCT institution_id FROM incoming i
            WHERE NOT EXISTS (SELECT 1 FROM institution_position p WHERE p.institution_id = i.institution_id) ORDER BY 1
            ON CONFLICT DO NOTHING;
        """;

    // Ratings naming a service record (kind 0 with service_record_id).
    private const string RecordOfOtherInstitutionSql = """
        UPDATE incoming i SET record_of_institution = r.other
            FROM (SELECT n.ord, min(s.institution_id) AS other
                  FROM incoming n JOIN service_record_ref s ON s.record_id = n.service_record_id
                  WHERE n.kind = 0 GROUP BY n.ord HAVING NOT bool_or(s.institution_id = n.institution_id)) r
            WHERE i.ord = r.ord;
        SELECT ord, record_of_institution FROM incoming WHERE record_of_institution IS NOT NULL;
        """;

    private const string ClaimSql = """
        WITH fresh AS (
            INSERT INTO event_key (dedup_key) SELECT dedup_key FROM incoming WHERE record_of_institution IS NULL ORDER BY dedup_key COLLATE "C"
            ON CONFLICT DO NOTHING RETURNING dedup_key)
        INSERT INTO claimed (ord) SELECT i.ord FROM incoming i JOIN fresh USING (dedup_key);
        """;

    // Completions (open_key).
    private const string OpenKeysSql = """
        WITH never_open AS (
            INSERT INTO event_key (dedup_key)
                SELECT i.open_key FROM incoming i JOIN claimed USING (ord) WHERE i.open_key IS NOT NULL ORDER BY 1
            ON CONFLICT DO NOTHING RETURNING dedup_key)
        UPDATE claimed c SET had_open = NOT EXISTS (SELECT 1 FROM never_open n WHERE n.dedup_key = i.open_key)
            FROM incoming i WHERE i.ord = c.ord AND i.open_key IS NOT NULL;
        """;

    // Ratings of a record (kind 0 with record_key).
    private const string FirstRatingSql = """
        WITH first_rating AS (
            INSERT INTO event_key (dedup_key)
                SELECT i.record_key FROM incoming i JOIN claimed USING (ord) WHERE i.kind = 0 AND i.record_key IS NOT NULL ORDER BY 1
            ON CONFLICT DO NOTHING RETURNING dedup_key)
        DELETE FROM claimed c USING incoming i
            WHERE i.ord = c.ord AND i.kind = 0 AND i.record_key IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM first_rating f WHERE f.dedup_key = i.record_key);
        """;

    private const string LockSql = """
        SELECT count(*) FROM (SELECT 1 FROM institution_position
            WHERE institution_id IN (SELECT i.institution_id FROM incoming i JOIN claimed USING (ord)) ORDER BY institution_id FOR UPDATE) AS locked;
        """;

    // Ratings naming a service record (kind 0 with service_record_id).
    private const string VerifiedSql = """
        UPDATE incoming i SET verified = true, rated_service_day = r.done
            FROM (SELECT n.ord, max(s.completed_day) AS done
                  FROM incoming n JOIN claimed USING (ord)
                      JOIN service_record_ref s ON s.record_id = n.service_record_id AND s.institution_id = n.institution_id
                  WHERE n.kind = 0 GROUP BY n.ord) r
            WHERE i.ord = r.ord;
        """;

    // Completions of a record (kind 2 with record_key).
    private const string RatedCompletionSql = """
        UPDATE incoming i SET rated_service_day = i.day
            FROM claimed c WHERE c.ord = i.ord AND i.kind = 2 AND EXISTS (SELECT 1 FROM event_key k WHERE k.dedup_key = i.record_key);
        """;

    // Only in a batch with an exclusion (kinds 3 and 10), after the lock: the topics of the rating it excludes, from
    // the log (none for one logged before topics). Kept out of the numbering statement because planning a look-up in
    // every monthly partition cost that statement ten times its own planning in every batch, exclusion or not.
    private const string ExclusionTopicsSql = """
        UPDATE incoming n SET topics = (SELECT r.topics FROM event_log r
                WHERE r.institution_id = n.institution_id AND r.kind = 0
                  AND n.source_id = CASE WHEN coalesce(r.source, 'development') = 'development' THEN r.source_id
                                         ELSE r.source || ':' || r.source_id END
                ORDER BY r.position LIMIT 1)
            FROM claimed c WHERE c.ord = n.ord AND n.kind IN (3, 10);
        """;

    private const string NumberSql = """
        WITH numbered AS (
            SELECT i.*, c.had_open, p.last_position + row_number() OVER (PARTITION BY i.institution_id COLLATE "C" ORDER BY i.ord) AS position
            FROM incoming i JOIN claimed c USING (ord) JOIN institution_position p USING (institution_id)),
        moved AS (
            UPDATE institution_position p SET last_position = m.top
            FROM (SELECT institution_id, max(position) AS top FROM numbered GROUP BY 1) m
            WHERE p.institution_id = m.institution_id),
        logged AS (
            INSERT INTO event_log (institution_id, position, kind, source_id, service_item, channel, domain, day, occurred_at,
                    level, tags, comment, real_name, contact_sealed, accepted_at, completed_at, on_time, handling_hours, had_open,
                    source, service_record_id, verified, rated_service_day, topics)
                SELECT n.institution_id, n.position, n.kind, n.source_id, n.service_item, n.channel, n.domain, n.day, n.occurred_at,
                    n.level, n.tags, n.comment, n.real_name, NULL, n.accepted_at, n.completed_at, n.on_time, n.handling_hours,
                    CASE WHEN n.kind = 2 THEN n.had_open WHEN n.kind BETWEEN 4 AND 9 THEN n.left_overdue END,
                    n.source, n.service_record_id, CASE WHEN n.kind IN (0, 3, 10) THEN n.verified END, n.rated_service_day,
                    n.topics
                FROM numbered n ORDER BY n.institution_id COLLATE "C", n.position
                RETURNING institution_id, position, topics),
        known_records AS (
            INSERT INTO service_record_ref (record_id, institution_id, completed_day)
                SELECT DISTINCT ON (source_id, institution_id) source_id, institution_id, CASE WHEN kind = 2 THEN day END
                FROM numbered WHERE kind IN (1, 2) ORDER BY source_id, institution_id, kind DESC
            ON CONFLICT (record_id, institution_id) DO UPDATE
                SET completed_day = coalesce(service_record_ref.completed_day, excluded.completed_day)),
        opened AS (
            INSERT INTO follow_up (id, city_code, state, opened_at, call_back_deadline, revision, document, opening, contact_sealed,
                    institution_id, service_item, channel, level, due_at)
                SELECT follow_up_id, follow_up_city, 0, follow_up_opened_at, follow_up_deadline, 1, follow_up,
                    CASE WHEN verified THEN jsonb_set(follow_up_opening, '{Verified}', 'true') ELSE follow_up_opening END, contact_sealed,
                    institution_id, service_item, channel, level, follow_up_deadline
                FROM numbered WHERE follow_up IS NOT NULL AND follow_up_revision IS NULL
                ON CONFLICT (id) DO NOTHING),
        saved AS (
            UPDATE follow_up f SET state = n.follow_up_state, rectify_deadline = n.follow_up_rectify_deadline,
                    revision = n.follow_up_revision, document = n.follow_up, due_at = n.follow_up_due_at,
                    overdue_noted = n.follow_up_overdue_noted
                FROM numbered n
                WHERE n.follow_up_revision IS NOT NULL AND f.id = n.follow_up_id AND f.revision = n.follow_up_from_revision
                RETURNING f.id)
        SELECT n.ord, n.position, n.had_open, n.follow_up_revision IS NULL OR n.follow_up_id IN (SELECT id FROM saved),
               n.verified, n.rated_service_day, l.topics
        FROM numbered n JOIN logged l USING (institution_id, position);
        """;

    // No ORDER BY: positions are gap-free, so the range says exactly which events come and the caller counts them,
    // in whatever order. Ordered, a replay depended on the plan: with statistics that did not yet know a bulk of new
    // rows, the planner sorted a million of them on disk (2.3 s in PostgreSQL instead of 0.7 s).
    // Grouped by everything a replay reads but the position: counting is all a replay does, so events alike count
    // as often as they come, and each kind of event crosses to the silo once with its number. Sending a million rows
    // and reading them cost the server and the silo more than the scan; a busy institution's ratings and openings
    // repeat their day, channel, domain, level and item many times over (completions, with their hours, seldom do).
    // The small columns come packed into one integer (see Replayed): reading a column costs the client about as much
    // whatever its width, and a replay that read thirteen of them a row spent a third more CPU than with seven.
    private const string ReadSql = """
        SELECT max(position), count(*),
               kind + channel * 256 + domain * 65536 + coalesce(level, 0) * 16777216 + coalesce(on_time, false)::int * 268435456
                   + coalesce(had_open, false)::int * 536870912 + coalesce(verified, false)::int * 1073741824,
               day, coalesce(handling_hours, 0), rated_service_day, service_item, topics
        FROM event_log WHERE institution_id = $1 AND position > $2 AND position <= $3
        GROUP BY 3, 4, 5, 6, 7, 8
        """;

    // SQLSTATE 23514 with this message: the row's month has no partition (the upkeep has not run, or a backfill
    // reached a month outside its window).
    private const string NoPartition = "no partition of relation";

    private readonly EventLogPartitions partitions = new(dataSource);

    /// <summary>
    /// Commits the batch; when a month it needs has no partition, creates the months of the batch and tries once more,
    /// so a missed upkeep costs one retry instead of failing every batch with such an item forever.
    /// </summary>
    public async Task<IReadOnlyList<AppendOutcome>> AppendAsync(IReadOnlyList<PendingEvent> events, CancellationToken cancellationToken = default)
    {
        try
        {
            return await AppendOnceAsync(events, cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.CheckViolation && ex.MessageText.Contains(NoPartition, StringComparison.Ordinal))
        {
            await partitions.EnsureAsync(events.Min(e => e.Day), events.Max(e => e.Day), cancellationToken);
            return await AppendOnceAsync(events, cancellationToken);
        }
    }

    private async Task<IReadOnlyList<AppendOutcome>> AppendOnceAsync(IReadOnlyList<PendingEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return [];
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var prepare = new NpgsqlCommand(PrepareSql, connection, transaction))
        {
            await prepare.ExecuteNonQueryAsync(cancellationToken);
        }

        await CopyAsync(connection, events, cancellationToken);

        var outcomes = new AppendOutcome[events.Count];
        await using (var append = new NpgsqlCommand(StatementsFor(events), connection, transaction))
        await using (var reader = await append.ExecuteReaderAsync(cancellationToken))
        {
            // Two result sets matter, told apart by their width: the refused ratings (2 columns) and the logged
            // events (7); the lock count (1) is skipped.
            do
            {
                if (reader.FieldCount == 2)
                {
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        outcomes[reader.GetInt32(0)] = new AppendOutcome(null, reader.GetString(1));
                    }
                }
                else if (reader.FieldCount == 7)
                {
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        var ord = reader.GetInt32(0);
                        if (!reader.GetBoolean(3))
                        {
                            // Disposing the transaction uncommitted rolls the whole batch back.
                            throw new FollowUpConflictException(events[ord].SourceId);
                        }

                        DateOnly? ratedDay = reader.IsDBNull(5) ? null : reader.GetFieldValue<DateOnly>(5);
                        outcomes[ord] = new AppendOutcome(events[ord].ToLogged(reader.GetInt64(1), reader.GetBoolean(2), reader.GetBoolean(4), ratedDay,
                            reader.IsDBNull(6) ? null : reader.GetFieldValue<string[]>(6)));
                    }
                }
            }
            while (await reader.NextResultAsync(cancellationToken));
        }

        var announced = events.Where((e, ord) => !outcomes[ord].IsDuplicate && e.SavesFollowUp is not null)
            .Select(e => FollowUpNotifications.Of(e.SavesFollowUp!)).OfType<NotificationEvent>().ToList();
        await Outbox.AddAsync(connection, transaction, announced, (notifications ?? new NotificationSettings()).DeadLetterAfter, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return outcomes;
    }

    /// <summary>The statement list of a batch: every statement that can find something among its events, in order.</summary>
    private static string StatementsFor(IReadOnlyList<PendingEvent> events)
    {
        bool Any(Func<PendingEvent, bool> predicate) => events.Any(predicate);
        var namesRecord = Any(e => e.Kind == LoggedEventKind.Evaluation && e.ServiceRecordId is not null);
        var sql = new StringBuilder(PositionsSql);
        sql.Append(namesRecord ? RecordOfOtherInstitutionSql : "").Append(ClaimSql)
            .Append(Any(e => e.OpenKey is not null) ? OpenKeysSql : "")
            .Append(Any(e => e.Kind == LoggedEventKind.Evaluation && e.RecordKey is not null) ? FirstRatingSql : "")
            .Append(LockSql)
            .Append(namesRecord ? VerifiedSql : "")
            .Append(Any(e => e.Kind == LoggedEventKind.ServiceCompleted && e.RecordKey is not null) ? RatedCompletionSql : "")
            .Append(Any(e => e.Kind is LoggedEventKind.EvaluationExcluded or LoggedEventKind.EvaluationSourceExcluded) ? ExclusionTopicsSql : "")
            .Append(NumberSql);
        return sql.ToString();
    }

    private static async Task CopyAsync(NpgsqlConnection connection, IReadOnlyList<PendingEvent> events, CancellationToken cancellationToken)
    {
        await using var importer = await connection.BeginBinaryImportAsync(CopySql, cancellationToken);
        for (var ord = 0; ord < events.Count; ord++)
        {
            var e = events[ord];
            await importer.StartRowAsync(cancellationToken);
            await importer.WriteAsync(ord, NpgsqlDbType.Integer, cancellationToken);
            await importer.WriteAsync(e.DedupKey, NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(importer, e.OpenKey, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(e.InstitutionId, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync((short)e.Kind, NpgsqlDbType.Smallint, cancellationToken);
            await importer.WriteAsync(e.SourceId, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(e.ServiceItem, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync((short)e.Channel, NpgsqlDbType.Smallint, cancellationToken);
            await importer.WriteAsync((short)e.Domain, NpgsqlDbType.Smallint, cancellationToken);
            await importer.WriteAsync(e.Day, NpgsqlDbType.Date, cancellationToken);
            await importer.WriteAsync(e.OccurredAt.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken);
            await WriteNullableAsync(importer, e.Kind is LoggedEventKind.Evaluation or LoggedEventKind.EvaluationExcluded or LoggedEventKind.EvaluationSourceExcluded || e.IsFollowUpStep ? (short?)e.Level : null, NpgsqlDbType.Smallint, cancellationToken);
            await WriteNullableAsync(importer, e.Tags?.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(importer, e.Comment, NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(importer, e.Kind == LoggedEventKind.Evaluation ? e.RealName : (bool?)null, NpgsqlDbType.Boolean, cancellationToken);
            await WriteNullableAsync(importer, e.ContactSealed, NpgsqlDbType.Bytea, cancellationToken);
            await WriteNullableAsync(importer, e.AcceptedAt?.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken);
            await WriteNullableAsync(importer, e.CompletedAt?.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken);
            var completion = e.Kind == LoggedEventKind.ServiceCompleted;
            await WriteNullableAsync(importer, completion || e.IsFollowUpStep ? e.OnTime : (bool?)null, NpgsqlDbType.Boolean, cancellationToken);
            await WriteNullableAsync(importer, completion ? e.HandlingHours : (double?)null, NpgsqlDbType.Double, cancellationToken);
            var followUp = e.OpensFollowUp;
            var document = e.SavesFollowUp ?? followUp?.FollowUp;
            await WriteNullableAsync(importer, document is null ? null : FollowUpDocuments.Write(document), NpgsqlDbType.Jsonb, cancellationToken);
            await WriteNullableAsync(importer, followUp is null ? null : FollowUpDocuments.Write(followUp.Opening), NpgsqlDbType.Jsonb, cancellationToken);
            await WriteNullableAsync(importer, followUp?.FollowUp.CityCode, NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(importer, followUp?.FollowUp.OpenedAt.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken);
            await WriteNullableAsync(importer, followUp?.FollowUp.CallBackDeadline.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken);
            var saves = e.SavesFollowUp;
            await WriteNullableAsync(importer, e.IsFollowUpStep ? e.LeftOverdue : (bool?)null, NpgsqlDbType.Boolean, cancellationToken);
            await WriteNullableAsync(importer, saves?.History.Count, NpgsqlDbType.Integer, cancellationToken);
            await WriteNullableAsync(importer, saves is null ? null : (short?)saves.State, NpgsqlDbType.Smallint, cancellationToken);
            await WriteNullableAsync(importer, saves?.RectifyDeadline?.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken);
            await WriteNullableAsync(importer, saves?.DueAt?.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken);
            await WriteNullableAsync(importer, saves is null ? null : (int?)e.SavesOverRevision, NpgsqlDbType.Integer, cancellationToken);
            await WriteNullableAsync(importer, saves?.OverdueNoted, NpgsqlDbType.Boolean, cancellationToken);
            await WriteNullableAsync(importer, e.FollowUpId, NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(importer, e.Source, NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(importer, e.ServiceRecordId, NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(importer, e.RecordKey, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(e.Verified, NpgsqlDbType.Boolean, cancellationToken);
            await WriteNullableAsync(importer, e.Topics?.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken);
        }

        await importer.CompleteAsync(cancellationToken);
    }

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
        value is null ? importer.WriteNullAsync(cancellationToken) : importer.WriteAsync(value, type, cancellationToken);

    public async Task<long> ReadAsync(string institutionId, long afterPosition, long upToPosition, Action<LoggedEvent, long> each, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

        // JIT off: compiling the read's expressions cost 0.15-0.2 s of a million-event replay and saved less. No sort:
        // grouping by hashing needs none, and the sort a planner misled by stale statistics might choose instead is
        // the very cost the missing ORDER BY avoids. In a transaction only so that SET LOCAL ends with it, and the
        // pooled connection goes back as it came.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var settings = new NpgsqlCommand("SET LOCAL jit = off; SET LOCAL enable_sort = off", connection, transaction))
        {
            await settings.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var command = new NpgsqlCommand(ReadSql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = institutionId });
        command.Parameters.Add(new NpgsqlParameter { Value = afterPosition });
        command.Parameters.Add(new NpgsqlParameter { Value = upToPosition });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var count = 0L;
        while (await reader.ReadAsync(cancellationToken))
        {
            var times = reader.GetInt64(1);
            each(Replayed(reader), times);
            count += times;
        }

        return count;
    }

    /// <summary>
    /// An event from a row of <see cref="ReadSql"/>, with the highest position of those it stands for. Its third column
    /// packs, from the lowest byte up: kind, channel, domain (a byte each; all are small enumerations), level (4 bits),
    /// then on_time, had_open and verified (a bit each).
    /// </summary>
    private static LoggedEvent Replayed(NpgsqlDataReader reader)
    {
        var packed = reader.GetInt32(2);
        return new(
            reader.GetInt64(0),
            (LoggedEventKind)(packed & 0xFF),
            reader.GetFieldValue<DateOnly>(3),
            (Channel)((packed >> 8) & 0xFF),
            (IpDomain)((packed >> 16) & 0xFF),
            (byte)((packed >> 24) & 0xF),
            (packed & (1 << 28)) != 0,
            reader.GetDouble(4),
            (packed & (1 << 29)) != 0,
            ServiceItem: reader.GetString(6),
            Topics: reader.IsDBNull(7) ? null : reader.GetFieldValue<string[]>(7),
            Verified: (packed & (1 << 30)) != 0,
            RatedServiceDay: reader.IsDBNull(5) ? null : reader.GetFieldValue<DateOnly>(5));
    }

    private const string SentColumns = """
        SELECT source, source_id, kind, institution_id, service_item, channel, domain, day, occurred_at, received_at,
               coalesce(level, 0), service_record_id, coalesce(verified, false)
        FROM event_log WHERE source = $1 AND received_at >= $2 AND received_at < $3
        """;

    public async Task<IReadOnlyList<SentEvent>> ListBySourceAsync(
        string source, DateTimeOffset from, DateTimeOffset to, LoggedEventKind? kind, int offset, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            SentColumns + " AND ($4::smallint IS NULL OR kind = $4) ORDER BY received_at, seq OFFSET $5 LIMIT $6");
        AddRange(command, source, from, to);
        command.Parameters.Add(new NpgsqlParameter { Value = kind is { } k ? (short)k : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Smallint });
        command.Parameters.Add(new NpgsqlParameter { Value = offset });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var events = new List<SentEvent>();
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new SentEvent(
                reader.GetString(0),
                reader.GetString(1),
                (LoggedEventKind)reader.GetInt16(2),
                reader.GetString(3),
                reader.GetString(4),
                (Channel)reader.GetInt16(5),
                (IpDomain)reader.GetInt16(6),
                reader.GetFieldValue<DateOnly>(7),
                reader.GetFieldValue<DateTimeOffset>(8),
                reader.GetFieldValue<DateTimeOffset>(9),
                (byte)reader.GetInt16(10),
                reader.IsDBNull(11) ? null : reader.GetString(11),
                reader.GetBoolean(12)));
        }

        return events;
    }

    public async Task<long> CountBySourceAsync(string source, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT count(*) FROM event_log WHERE source = $1 AND received_at >= $2 AND received_at < $3");
        AddRange(command, source, from, to);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<IReadOnlySet<string>> ClaimedAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT dedup_key FROM event_key WHERE dedup_key = ANY($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = keys.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            claimed.Add(reader.GetString(0));
        }

        return claimed;
    }

    private static void AddRange(NpgsqlCommand command, string source, DateTimeOffset from, DateTimeOffset to)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = source });
        command.Parameters.Add(new NpgsqlParameter { Value = from.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = to.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
    }

    /// <summary>
    /// An event from a row whose columns 1 to 12 are, as a month report's query has them: kind, day, channel, domain,
    /// level, on_time, handling_hours, had_open, verified (nulls as 0 and false), rated_service_day, service_item and topics.
    /// </summary>
    public static LoggedEvent Counted(NpgsqlDataReader reader, long position) => new(
        position,
        (LoggedEventKind)reader.GetInt16(1),
        reader.GetFieldValue<DateOnly>(2),
        (Channel)reader.GetInt16(3),
        (IpDomain)reader.GetInt16(4),
        (byte)reader.GetInt16(5),
        reader.GetBoolean(6),
        reader.GetDouble(7),
        reader.GetBoolean(8),
        ServiceItem: reader.GetString(11),
        Topics: reader.IsDBNull(12) ? null : reader.GetFieldValue<string[]>(12),
        Verified: reader.GetBoolean(9),
        RatedServiceDay: reader.IsDBNull(10) ? null : reader.GetFieldValue<DateOnly>(10));

    public async Task<IReadOnlyDictionary<string, long>> LastPositionsAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT institution_id, last_position FROM institution_position");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var positions = new Dictionary<string, long>();
        while (await reader.ReadAsync(cancellationToken))
        {
            positions[reader.GetString(0)] = reader.GetInt64(1);
        }

        return positions;
    }

    public async Task<long> LastPositionAsync(string institutionId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT last_position FROM institution_position WHERE institution_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = institutionId });
        return await command.ExecuteScalarAsync(cancellationToken) is long position ? position : 0;
    }
}
