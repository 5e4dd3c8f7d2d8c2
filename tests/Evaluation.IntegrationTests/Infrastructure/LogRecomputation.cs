using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Measures;
using Npgsql;

namespace Evaluation.IntegrationTests.Infrastructure;

/// <summary>
/// Recomputes aggregates from scratch with SQL <c>GROUP BY</c> over the event log, independently of the
/// grains' own aggregation code: the reference every grain aggregate must equal.
/// </summary>
public static class LogRecomputation
{
    /// <summary>Aggregates keyed by the area each institution is mapped to (itself, its city, or the province).</summary>
    public static async Task<Dictionary<string, AggregateData>> ByAreaAsync(string connectionString, IReadOnlyDictionary<string, string> areaOfInstitution)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand("CREATE TEMP TABLE area_map (institution_id text PRIMARY KEY, area text NOT NULL)", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        await using (var importer = await connection.BeginBinaryImportAsync("COPY area_map FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (institution, area) in areaOfInstitution)
            {
                await importer.WriteRowAsync(default, institution, area);
            }

            await importer.CompleteAsync();
        }

        var result = new Dictionary<string, AggregateData>();
        AggregateData Of(string area) => result.TryGetValue(area, out var data) ? data : result[area] = new AggregateData();

        // The main tallies by day, channel and domain; the service-item tallies by day and 事项, from the same counters.
        await ReadTalliesAsync(connection, "l.channel, l.domain", (area, reader) =>
            TallyOf(Of(area).Tallies, new TallyKey(reader.GetFieldValue<DateOnly>(1), (Channel)reader.GetInt16(2), (IpDomain)reader.GetInt16(3))));
        await ReadTalliesAsync(connection, "l.service_item", (area, reader) =>
            TallyOf(Of(area).ServiceItems, new ServiceItemKey(reader.GetFieldValue<DateOnly>(1), reader.GetString(2))));

        const string backlog = """
            SELECT m.area, count(*) FILTER (WHERE l.kind = 1) - count(*) FILTER (WHERE l.kind = 2 AND l.had_open)
            FROM event_log l JOIN area_map m USING (institution_id) GROUP BY m.area
            """;
        await using (var command = new NpgsqlCommand(backlog, connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                Of(reader.GetString(0)).Backlog = reader.GetInt64(1);
            }
        }

        return result;
    }

    private static Tally TallyOf<TKey>(Dictionary<TKey, Tally> tallies, TKey key)
        where TKey : notnull =>
        tallies.TryGetValue(key, out var tally) ? tally : tallies[key] = new Tally();

    /// <summary>
    /// Fills the tallies grouped by area, day and <paramref name="keyColumns"/>: <paramref name="tallyOf"/> finds the
    /// tally of a row, whose first columns are the area, the day and the key columns.
    /// </summary>
    private static async Task ReadTalliesAsync(NpgsqlConnection connection, string keyColumns, Func<string, NpgsqlDataReader, Tally> tallyOf)
    {
        var keyCount = 2 + keyColumns.Split(',').Length;

        // A rating counts once, and not at all once an upheld appeal excluded it (kind 3 repeats its level).
        static string Rated(int level) => $"coalesce(sum(CASE l.kind WHEN 0 THEN 1 WHEN 3 THEN -1 END) FILTER (WHERE l.level = {level}), 0)";
        var tallies = $"""
            SELECT m.area, l.day, {keyColumns},
                   {Rated(1)}, {Rated(2)}, {Rated(3)}, {Rated(4)}, {Rated(5)},
                   count(*) FILTER (WHERE l.kind = 1), count(*) FILTER (WHERE l.kind = 2),
                   count(*) FILTER (WHERE l.kind = 2 AND l.on_time), coalesce(sum(l.handling_hours) FILTER (WHERE l.kind = 2), 0),
                   count(*) FILTER (WHERE l.kind = 0 AND l.level <= 2),
                   count(*) FILTER (WHERE l.kind = 4), count(*) FILTER (WHERE l.kind = 4 AND l.on_time), count(*) FILTER (WHERE l.kind = 8),
                   count(*) FILTER (WHERE l.kind = 5), count(*) FILTER (WHERE l.kind = 5 AND l.on_time), count(*) FILTER (WHERE l.kind = 9),
                   count(*) FILTER (WHERE l.kind = 6), count(*) FILTER (WHERE l.kind = 3), count(*) FILTER (WHERE l.kind = 7),
                   count(*) FILTER (WHERE l.kind IN (8, 9)) - count(*) FILTER (WHERE l.kind IN (4, 5, 6) AND l.had_open)
            FROM event_log l JOIN area_map m USING (institution_id)
            GROUP BY m.area, l.day, {keyColumns}
            """;
        await using (var command = new NpgsqlCommand(tallies, connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                long Count(int column) => reader.GetInt64(keyCount + column);
                var tally = tallyOf(reader.GetString(0), reader);
                tally.Levels = [Count(0), Count(1), Count(2), Count(3), Count(4)];
                tally.Opened = Count(5);
                tally.Completed = Count(6);
                tally.CompletedOnTime = Count(7);
                tally.HandlingHoursSum = reader.GetDouble(keyCount + 8);

                // 差评 handling, written out from the kinds' meanings (a 差评 opens a follow-up; an upheld appeal is
                // the exclusion; a step that ends a stage noted overdue takes it off the overdue count).
                tally.FollowUps = new FollowUpCounts
                {
                    Opened = Count(9),
                    CalledBack = Count(10),
                    CalledBackOnTime = Count(11),
                    CallBackMissed = Count(12),
                    Rectified = Count(13),
                    RectifiedOnTime = Count(14),
                    RectifyMissed = Count(15),
                    Appealed = Count(16),
                    Upheld = Count(17),
                    Dismissed = Count(18),
                    Overdue = Count(19),
                };
            }
        }

        // Percentiles need the distribution; the bucket boundaries are the definition shared with the grains.
        var durations = $"""
            SELECT m.area, l.day, {keyColumns}, l.handling_hours
            FROM event_log l JOIN area_map m USING (institution_id) WHERE l.kind = 2
            """;
        await using (var command = new NpgsqlCommand(durations, connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var tally = tallyOf(reader.GetString(0), reader);
                tally.HandlingHistogram ??= new long[HandlingHistogram.BucketCount];
                tally.HandlingHistogram[HandlingHistogram.BucketOf(reader.GetDouble(keyCount))]++;
            }
        }
    }
}
