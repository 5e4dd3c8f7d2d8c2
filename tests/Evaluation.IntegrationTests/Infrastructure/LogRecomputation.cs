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

        // A rating counts once, and not at all once an upheld appeal excluded it (kind 3 repeats its level).
        static string Rated(int level) => $"coalesce(sum(CASE l.kind WHEN 0 THEN 1 WHEN 3 THEN -1 END) FILTER (WHERE l.level = {level}), 0)";
        var tallies = $"""
            SELECT m.area, l.day, l.channel, l.domain,
                   {Rated(1)}, {Rated(2)}, {Rated(3)}, {Rated(4)}, {Rated(5)},
                   count(*) FILTER (WHERE l.kind = 1), count(*) FILTER (WHERE l.kind = 2),
                   count(*) FILTER (WHERE l.kind = 2 AND l.on_time), coalesce(sum(l.handling_hours) FILTER (WHERE l.kind = 2), 0),
                   count(*) FILTER (WHERE l.kind = 0 AND l.level <= 2),
                   count(*) FILTER (WHERE l.kind = 4), count(*) FILTER (WHERE l.kind = 4 AND l.on_time), count(*) FILTER (WHERE l.kind = 8),
                   count(*) FILTER (WHERE l.kind = 5), count(*) FILTER (WHERE l.kind = 5 AND l.on_time), count(*) FILTER (WHERE l.kind = 9),
                   count(*) FILTER (WHERE l.kind = 6), count(*) FILTER (WHERE l.kind = 3), count(*) FILTER (WHERE l.kind = 7),
                   count(*) FILTER (WHERE l.kind IN (8, 9)) - count(*) FILTER (WHERE l.kind IN (4, 5, 6) AND l.had_open)
            FROM event_log l JOIN area_map m USING (institution_id)
            GROUP BY m.area, l.day, l.channel, l.domain
            """;
        await using (var command = new NpgsqlCommand(tallies, connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var key = new TallyKey(reader.GetFieldValue<DateOnly>(1), (Channel)reader.GetInt16(2), (IpDomain)reader.GetInt16(3));
                Of(reader.GetString(0)).Tallies[key] = new Tally
                {
                    Levels = [reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7), reader.GetInt64(8)],
                    Opened = reader.GetInt64(9),
                    Completed = reader.GetInt64(10),
                    CompletedOnTime = reader.GetInt64(11),
                    HandlingHoursSum = reader.GetDouble(12),

                    // 差评 handling, written out from the kinds' meanings (a 差评 opens a follow-up; an upheld appeal is
                    // the exclusion; a step that ends a stage noted overdue takes it off the overdue count).
                    FollowUps = new FollowUpCounts
                    {
                        Opened = reader.GetInt64(13),
                        CalledBack = reader.GetInt64(14),
                        CalledBackOnTime = reader.GetInt64(15),
                        CallBackMissed = reader.GetInt64(16),
                        Rectified = reader.GetInt64(17),
                        RectifiedOnTime = reader.GetInt64(18),
                        RectifyMissed = reader.GetInt64(19),
                        Appealed = reader.GetInt64(20),
                        Upheld = reader.GetInt64(21),
                        Dismissed = reader.GetInt64(22),
                        Overdue = reader.GetInt64(23),
                    },
                };
            }
        }

        // Percentiles need the distribution; the bucket boundaries are the definition shared with the grains.
        const string durations = """
            SELECT m.area, l.day, l.channel, l.domain, l.handling_hours
            FROM event_log l JOIN area_map m USING (institution_id) WHERE l.kind = 2
            """;
        await using (var command = new NpgsqlCommand(durations, connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var key = new TallyKey(reader.GetFieldValue<DateOnly>(1), (Channel)reader.GetInt16(2), (IpDomain)reader.GetInt16(3));
                var tally = Of(reader.GetString(0)).Tallies[key];
                tally.HandlingHistogram ??= new long[HandlingHistogram.BucketCount];
                tally.HandlingHistogram[HandlingHistogram.BucketOf(reader.GetDouble(4))]++;
            }
        }

        // Comment topics: each logged topic of a 差评 once, and '*' once per 差评 that has topics; an exclusion repeats
        // the topics of the rating it excludes, so it counts -1 under each.
        const string topics = """
            SELECT m.area, l.day, t.topic, sum(CASE l.kind WHEN 0 THEN 1 ELSE -1 END)
            FROM event_log l JOIN area_map m USING (institution_id)
                CROSS JOIN LATERAL unnest(l.topics || '{*}'::text[]) AS t(topic)
            WHERE l.kind IN (0, 3) AND cardinality(l.topics) > 0
            GROUP BY m.area, l.day, t.topic
            HAVING sum(CASE l.kind WHEN 0 THEN 1 ELSE -1 END) <> 0
            """;
        await using (var command = new NpgsqlCommand(topics, connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                Of(reader.GetString(0)).Topics[new TopicKey(reader.GetFieldValue<DateOnly>(1), reader.GetString(2))] = reader.GetInt64(3);
            }
        }

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
}
