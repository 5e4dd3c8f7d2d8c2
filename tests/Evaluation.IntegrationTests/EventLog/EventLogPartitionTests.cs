using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Registry;
using Evaluation.Grains.Areas;
using Evaluation.Grains.EventLog;
using Evaluation.Grains.Storage;
using Evaluation.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Xunit;

namespace Evaluation.IntegrationTests.EventLog;

/// <summary>
/// The event log partitioned by month of its day (ops/sql/004): converting a log that already holds
/// rows, keeping the months ahead created, and replaying one institution across months.
/// </summary>
public sealed class EventLogPartitionTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private static readonly DateOnly Today = AreaClock.Today(TimeProvider.System);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Converting_a_filled_log_keeps_every_row_and_files_it_under_its_month()
    {
        await using var old = new PostgresDatabase { MigratedThrough = "003_detection.sql" };
        await old.InitializeAsync();

        // Two institutions over some 17 months, beyond the 13 the migration creates anyway, every
        // kind and optional column filled somewhere, and one event of 2021 for a long-gone month.
        await ExecuteAsync(old.ConnectionString, $"""
            INSERT INTO event_log (institution_id, position, kind, source_id, service_item, channel, domain, day,
                    occurred_at, level, tags, comment, real_name, contact_sealed, accepted_at, completed_at, on_time,
                    handling_hours, had_open)
                SELECT 'inst-' || g % 2, (g + 1) / 2, g % 4, 'old-' || g, 'PAT-SEARCH', g % 3, g % 4,
                    DATE '{Today:yyyy-MM-dd}' - g * 10, now() - g * interval '10 days', 1 + g % 5,
                    CASE WHEN g % 7 = 0 THEN ARRAY['slow', '态度'] END, CASE WHEN g % 5 = 0 THEN '很好 ' || g END,
                    g % 4 = 0, CASE WHEN g % 9 = 0 THEN '\x0102'::bytea END,
                    CASE WHEN g % 4 IN (1, 2) THEN now() - g * interval '10 days' - interval '3 hours' END,
                    CASE WHEN g % 4 = 2 THEN now() - g * interval '10 days' END,
                    CASE WHEN g % 4 = 2 THEN g % 3 <> 0 END, CASE WHEN g % 4 = 2 THEN 3.5 END,
                    CASE WHEN g % 4 = 2 THEN g % 8 = 2 END
                FROM generate_series(1, 50) AS g;
            INSERT INTO event_log (institution_id, position, kind, source_id, service_item, channel, domain, day, occurred_at, level)
                VALUES ('inst-0', 26, 0, 'old-2021', 'PAT-SEARCH', 0, 0, DATE '2021-06-15', TIMESTAMPTZ '2021-06-15 10:00+08', 4);
            INSERT INTO institution_position (institution_id, last_position)
                SELECT institution_id, max(position) FROM event_log GROUP BY 1;
            """);

        // A batch that rolled back has used seq values nobody may be given again.
        await using (var connection = new NpgsqlConnection(old.ConnectionString))
        {
            await connection.OpenAsync(Ct);
            await using var transaction = await connection.BeginTransactionAsync(Ct);
            await using var burn = new NpgsqlCommand("""
                INSERT INTO event_log (institution_id, position, kind, source_id, service_item, channel, domain, day, occurred_at, level)
                    SELECT 'rolled-back', g, 0, 'burnt-' || g, 'PAT-SEARCH', 0, 0, current_date, now(), 3 FROM generate_series(1, 5) AS g
                """, connection, transaction);
            await burn.ExecuteNonQueryAsync(Ct);
            await transaction.RollbackAsync(Ct);
        }

        // Every column but the contact, which 008 moves out of the log for good, and those 012 and 014 add (null for old rows).
        const string rows = "SELECT (to_jsonb(l) - 'contact_sealed' - 'source' - 'service_record_id' - 'verified' - 'rated_service_day' - 'topics')::text FROM event_log AS l ORDER BY seq";
        const string contacts = "SELECT count(*)::text FROM event_log WHERE contact_sealed IS NOT NULL";
        var rowsBefore = await StringsAsync(old.ConnectionString, rows);
        Assert.Equal(["5"], await StringsAsync(old.ConnectionString, contacts));
        var seqsHandedOut = long.Parse((await StringsAsync(old.ConnectionString, "SELECT last_value::text FROM event_log_seq_seq")).Single());
        Assert.Equal(51, rowsBefore.Count);
        Assert.Equal(56, seqsHandedOut);

        await new SchemaMigrator(old.ConnectionString, NullLogger<SchemaMigrator>.Instance).MigrateAsync(Ct);

        Assert.Equal(SchemaMigrator.ScriptNames, await StringsAsync(old.ConnectionString, "SELECT name FROM schema_migrations ORDER BY name COLLATE \"C\""));
        Assert.Equal(["p"], await StringsAsync(old.ConnectionString, "SELECT relkind::text FROM pg_class WHERE oid = 'event_log'::regclass"));
        Assert.Equal(["(null)"], await StringsAsync(old.ConnectionString, "SELECT to_regclass('event_log_unpartitioned')::text"));
        Assert.Equal(rowsBefore, await StringsAsync(old.ConnectionString, rows));
        Assert.Equal(["0"], await StringsAsync(old.ConnectionString, contacts));
        var misfiled = await StringsAsync(old.ConnectionString,
            "SELECT source_id FROM event_log WHERE tableoid::regclass::text <> 'event_log_' || to_char(day, 'YYYY_MM')");
        Assert.Empty(misfiled);
        Assert.Contains("event_log_2021_06", await StringsAsync(old.ConnectionString, "SELECT DISTINCT tableoid::regclass::text FROM event_log"));

        // Appends go on where the old table stopped: the next positions, and seq after the burnt values.
        await using var dataSource = NpgsqlDataSource.Create(old.ConnectionString);
        var log = new PostgresEventLog(dataSource);
        var outcomes = await log.AppendAsync([Rating("inst-0", "new-1", Today), Rating("inst-0", "new-2", Today.AddDays(-300))], Ct);
        Assert.Equal([27L, 28L], outcomes.Select(o => o.Logged!.Position));
        var newSeqs = await StringsAsync(old.ConnectionString, "SELECT seq::text FROM event_log WHERE source_id LIKE 'new-%' ORDER BY seq");
        Assert.Equal(["57", "58"], newSeqs);
        Assert.Equal(28, (await ReadAsync(log, "inst-0", 0, 28)).Count);

        // Still append-only, through the parent and on a partition directly.
        foreach (var change in new[]
        {
            "UPDATE event_log SET level = 1 WHERE source_id = 'old-1'",
            "DELETE FROM event_log WHERE source_id = 'new-1'",
            $"DELETE FROM event_log_{Today:yyyy_MM}",
        })
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(old.ConnectionString, change));
            Assert.Contains("append-only", refused.MessageText, StringComparison.Ordinal);
        }

        Assert.Equal(53, (await StringsAsync(old.ConnectionString, "SELECT source_id FROM event_log")).Count);
    }

    [Fact]
    public async Task Upkeep_creates_the_coming_months_once_even_when_two_silos_race()
    {
        // A database of its own: the class's shared one may already hold months another test's batch created.
        await using var own = new PostgresDatabase();
        await own.InitializeAsync();
        await using var dataSource = NpgsqlDataSource.Create(own.ConnectionString);
        var partitions = new EventLogPartitions(dataSource);

        // The migration made today's window; a silo two years on finds every month of its window missing.
        Assert.Equal(0, await partitions.EnsureAsync(Today, Ct));
        var later = Today.AddYears(2);
        var created = await Task.WhenAll(partitions.EnsureAsync(later, Ct), partitions.EnsureAsync(later, Ct));
        var months = EventLogPartitions.MonthsBack + 1 + EventLogPartitions.MonthsAhead;
        Assert.Equal([0, months], created.Order());
        Assert.Equal(0, await partitions.EnsureAsync(later, Ct));

        var (from, to) = EventLogPartitions.Window(later);
        Assert.Equal(new DateOnly(later.Year, later.Month, 1).AddMonths(3), to);
        for (var month = from; month <= to; month = month.AddMonths(1))
        {
            var bounds = await StringsAsync(own.ConnectionString, $"""
                SELECT pg_get_expr(c.relpartbound, c.oid) FROM pg_class AS c JOIN pg_inherits AS i ON i.inhrelid = c.oid
                WHERE i.inhparent = 'event_log'::regclass AND c.relname = 'event_log_{month:yyyy_MM}'
                """);
            Assert.Equal([$"FOR VALUES FROM ('{month:yyyy-MM-dd}') TO ('{month.AddMonths(1):yyyy-MM-dd}')"], bounds);
        }
    }

    [Fact]
    public async Task A_batch_with_an_event_of_a_month_without_partition_creates_the_month_and_is_logged_whole()
    {
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        var log = new PostgresEventLog(dataSource);
        Assert.Equal(["(null)"], await StringsAsync(database.ConnectionString, "SELECT to_regclass('event_log_2035_01')::text"));

        // A month the upkeep never made (it missed its rounds, or the month lies outside its window): the first
        // attempt fails as a whole, the month is created and the same batch goes in once, in order.
        var outcomes = await log.AppendAsync([Rating("no-month", "fine", Today), Rating("no-month", "far-future", new DateOnly(2035, 1, 15))], Ct);
        Assert.Equal([1L, 2L], outcomes.Select(o => o.Logged!.Position));
        Assert.All(outcomes, o => Assert.Equal("PAT-SEARCH", o.Logged!.ServiceItem));
        Assert.Equal(["event_log_2035_01"], await StringsAsync(database.ConnectionString, "SELECT to_regclass('event_log_2035_01')::text"));
        Assert.Equal(2, (await ReadAsync(log, "no-month", 0, 2)).Count);
    }

    [Fact]
    public async Task Replay_reads_each_event_of_an_institution_in_a_range_of_positions_across_months()
    {
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        var log = new PostgresEventLog(dataSource);

        // Late ratings: each batch's days jump back and forth over a year, so positions and months
        // disagree in order; another institution's events are interleaved.
        var days = new List<DateOnly>();
        for (var batch = 0; batch < 3; batch++)
        {
            var events = new List<PendingEvent>();
            for (var i = 0; i < 40; i++)
            {
                var n = batch * 40 + i;
                var day = Today.AddDays(-(n * 97 % 365));
                days.Add(day);
                events.Add(Rating("replayed", $"replay-{n}", day));
                events.Add(Rating("neighbour", $"neighbour-{n}", day));
            }

            await log.AppendAsync(events, Ct);
        }

        var all = await ReadAsync(log, "replayed", 0, days.Count);
        Assert.Equal(Enumerable.Range(1, days.Count).Select(p => (long)p), all.Select(e => e.Position));
        Assert.Equal(days, all.Select(e => e.Day));

        // The replay carries each event's 事项, for the per-item tallies, as the append's answer did.
        Assert.All(all, e => Assert.Equal("PAT-SEARCH", e.ServiceItem));

        // A range reads exactly its positions, whichever months they are in.
        var middle = await ReadAsync(log, "replayed", 50, 100);
        Assert.Equal(Enumerable.Range(51, 50).Select(p => (long)p), middle.Select(e => e.Position));
        Assert.Empty(await ReadAsync(log, "replayed", days.Count, days.Count + 10));

        var spread = await StringsAsync(database.ConnectionString,
            "SELECT DISTINCT tableoid::regclass::text FROM event_log WHERE institution_id = 'replayed'");
        Assert.True(spread.Count >= 12, $"the events fill {spread.Count} monthly partitions");
    }

    [Fact]
    public async Task Replay_hands_over_each_event_as_the_append_answered_it()
    {
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        var log = new PostgresEventLog(dataSource);
        var at = new DateTimeOffset(Today.ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(8));
        var opened = new PendingEvent("record:r-1:opened", null, "packed", LoggedEventKind.ServiceOpened, "r-1", "TM-REG", Channel.Online, IpDomain.Trademark, Today, at);
        var first = await log.AppendAsync([opened], Ct);
        var second = await log.AppendAsync(
        [
            opened with { DedupKey = "record:r-1:completed", OpenKey = opened.DedupKey, Kind = LoggedEventKind.ServiceCompleted, OnTime = true, HandlingHours = 5.25 },
            Rating("packed", "rating-1", Today.AddDays(-3)) with { Level = 2, Channel = Channel.Hotline, Domain = IpDomain.General, Topics = ["waiting", "fees"] },
            Rating("packed", "rating-2", Today.AddDays(-40)) with { Level = 5 },
        ], Ct);
        var appended = first.Concat(second).Select(o => o.Logged!).ToList();

        var replayed = await ReadAsync(log, "packed", 0, appended.Count);
        Assert.Equal(appended.Select(e => e with { Topics = null }), replayed.Select(e => e with { Topics = null }));
        Assert.Equal(appended.Select(e => e.Topics ?? []), replayed.Select(e => e.Topics ?? []));
        Assert.Contains(replayed, e => e is { Kind: LoggedEventKind.ServiceCompleted, OnTime: true, HadOpen: true, HandlingHours: 5.25 });
        Assert.Contains(replayed, e => e is { Level: 2, Channel: Channel.Hotline, Domain: IpDomain.General, Topics.Count: 2 });
    }

    [Fact]
    public async Task Replay_hands_events_alike_once_with_their_number()
    {
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        var log = new PostgresEventLog(dataSource);

        // Forty ratings alike but for their ids, two of another level, one on another day, and a range that cuts them.
        var alike = Enumerable.Range(0, 40).Select(i => Rating("alike", $"alike-{i}", Today)).ToList();
        var others = new[] { Rating("alike", "low-0", Today) with { Level = 2 }, Rating("alike", "low-1", Today) with { Level = 2 }, Rating("alike", "early", Today.AddDays(-1)) };
        await log.AppendAsync([.. alike.Take(20), .. others, .. alike.Skip(20)], Ct);

        var handed = new List<(LoggedEvent Event, long Times)>();
        var count = await log.ReadAsync("alike", 0, 43, (e, times) => handed.Add((e, times)), Ct);
        Assert.Equal(43, count);
        Assert.Equal(3, handed.Count);
        var fours = Assert.Single(handed, h => h.Event.Level == 4 && h.Event.Day == Today);
        Assert.Equal((43L, 40L), (fours.Event.Position, fours.Times));
        var twos = Assert.Single(handed, h => h.Event.Level == 2);
        Assert.Equal((22L, 2L), (twos.Event.Position, twos.Times));
        Assert.Equal(1, Assert.Single(handed, h => h.Event.Day < Today).Times);

        // Only the range's events are counted: positions 21..23 are the two of level 2 and the earlier day.
        var part = new List<(LoggedEvent Event, long Times)>();
        Assert.Equal(3, await log.ReadAsync("alike", 20, 23, (e, times) => part.Add((e, times)), Ct));
        Assert.Equal([1L, 2L], part.Select(p => p.Times).Order());
    }

    /// <summary>The events the log hands over, each as often as it comes, in position order (it hands them in none).</summary>
    private static async Task<List<LoggedEvent>> ReadAsync(PostgresEventLog log, string institutionId, long afterPosition, long upToPosition)
    {
        var events = new List<LoggedEvent>();
        var count = await log.ReadAsync(institutionId, afterPosition, upToPosition, (e, times) => events.AddRange(Enumerable.Repeat(e, (int)times)), Ct);
        Assert.Equal(events.Count, count);
        return events.OrderBy(e => e.Position).ToList();
    }

    private static PendingEvent Rating(string institutionId, string id, DateOnly day) => new(
        $"evaluation:{id}", null, institutionId, LoggedEventKind.Evaluation, id, "PAT-SEARCH", Channel.Window, IpDomain.Patent,
        day, new DateTimeOffset(day.ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(8)), Level: 4);

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }

    private static async Task<List<string>> StringsAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var values = new List<string>();
        while (await reader.ReadAsync(Ct))
        {
            values.Add(reader.IsDBNull(0) ? "(null)" : reader.GetString(0));
        }

        return values;
    }
}
