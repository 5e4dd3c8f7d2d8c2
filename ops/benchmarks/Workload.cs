using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Evaluation.Contracts.Registry;
using Evaluation.Contracts.Ingestion;
using Evaluation.Domain.Calendar;
using Evaluation.Grains.EventLog;
using Evaluation.Grains.Hosting;
using Npgsql;
using NpgsqlTypes;

namespace Evaluation.Benchmarks;

/// <summary>A fixed set of valid ratings, sent through the API or copied straight into PostgreSQL.</summary>
internal sealed class Workload(IReadOnlyList<Institution> institutions, int seed)
{
    private readonly Random random = new(seed);

    public sealed record Rating(string Id, Institution Institution, string ServiceItem, Channel Channel, int Level, DateTimeOffset OccurredAt);

    public List<Rating> Ratings(int count, string prefix)
    {
        var now = DateTimeOffset.UtcNow;
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var institution = institutions[random.Next(institutions.Count)];
            return new Rating(
                $"{prefix}-{i}",
                institution,
                institution.Services[random.Next(institution.Services.Count)],
                institution.Channels[random.Next(institution.Channels.Count)],
                Level(),
                now.AddMinutes(-random.Next(1, 60 * 24 * 20)));
        })];
    }

    /// <summary>
    /// Levels as the public gives them (about 5 % 差评): every 差评 also opens a follow-up case, so a
    /// uniform spread would measure a workload eight times heavier in cases than the real one.
    /// </summary>
    private int Level() => random.NextDouble() switch
    {
        < 0.02 => 1,
        < 0.05 => 2,
        < 0.15 => 3,
        < 0.50 => 4,
        _ => 5,
    };

    public static JsonObject Batch(IEnumerable<Rating> ratings) => new()
    {
        ["items"] = new JsonArray([.. ratings.Select(r => (JsonNode)new JsonObject
        {
            ["id"] = r.Id,
            ["institutionId"] = r.Institution.Id,
            ["serviceItem"] = r.ServiceItem,
            ["channel"] = r.Channel.ToString().ToLowerInvariant(),
            ["level"] = r.Level,
            ["occurredAt"] = r.OccurredAt.ToOffset(TimeSpan.FromHours(8)).ToString("O"),
        })]),
    };

    /// <summary>Posts in batches of 1,000 with 4 in flight, as a busy source would.</summary>
    public static Task PostAllAsync(HttpClient http, Uri api, IEnumerable<Rating> ratings) =>
        Parallel.ForEachAsync(ratings.Chunk(1000), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (batch, _) => await PostAsync(http, api, batch));

    /// <summary>Posts fresh ratings; throws unless every one was accepted, so a rejecting system cannot look fast.</summary>
    public static async Task PostAsync(HttpClient http, Uri api, IReadOnlyCollection<Rating> ratings)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(api, "api/v1/evaluations")) { Content = JsonContent.Create(Batch(ratings)) };
        request.Headers.Add("X-Api-Key", SystemUnderTest.SourceKey);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsStringAsync();
        if (JsonNode.Parse(body)?["accepted"]?.GetValue<int>() != ratings.Count)
        {
            throw new InvalidOperationException($"Not every rating of the batch was accepted: {body[..Math.Min(body.Length, 500)]}");
        }
    }

    /// <summary>The baseline: the same rows binary-COPYed into a plain table shaped like the log.</summary>
    public static async Task CopyAsync(string connectionString, IReadOnlyList<Rating> ratings)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand("DROP TABLE IF EXISTS bench_copy; CREATE TABLE bench_copy (LIKE event_log INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        await using var importer = await connection.BeginBinaryImportAsync(
            "COPY bench_copy (seq, institution_id, position, kind, source_id, service_item, channel, domain, day, occurred_at, level, real_name) FROM STDIN (FORMAT BINARY)");
        var seq = 0L;
        foreach (var r in ratings)
        {
            seq++;
            await importer.StartRowAsync();
            await importer.WriteAsync(seq, NpgsqlDbType.Bigint);
            await importer.WriteAsync(r.Institution.Id, NpgsqlDbType.Text);
            await importer.WriteAsync(seq, NpgsqlDbType.Bigint);
            await importer.WriteAsync((short)0, NpgsqlDbType.Smallint);
            await importer.WriteAsync(r.Id, NpgsqlDbType.Text);
            await importer.WriteAsync(r.ServiceItem, NpgsqlDbType.Text);
            await importer.WriteAsync((short)r.Channel, NpgsqlDbType.Smallint);
            await importer.WriteAsync((short)0, NpgsqlDbType.Smallint);
            await importer.WriteAsync(WorkingCalendar.ToLocalDate(r.OccurredAt).ToDateOnly(), NpgsqlDbType.Date);
            await importer.WriteAsync(r.OccurredAt.UtcDateTime, NpgsqlDbType.TimestampTz);
            await importer.WriteAsync((short)r.Level, NpgsqlDbType.Smallint);
            await importer.WriteAsync(false, NpgsqlDbType.Boolean);
        }

        await importer.CompleteAsync();
    }

    /// <summary>The same rows through the log's append (key claim, numbering, insert), batched as the API batches them.</summary>
    public static async Task AppendThroughLogAsync(string connectionString, IReadOnlyList<Rating> ratings)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var log = new PostgresEventLog(dataSource);
        await Parallel.ForEachAsync(ratings.Chunk(1000), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (batch, _) =>
            await log.AppendAsync([.. batch.Select(r => new PendingEvent(
                $"eval:{r.Id}", null, r.Institution.Id, LoggedEventKind.Evaluation, r.Id, r.ServiceItem, r.Channel, IpDomain.Patent,
                WorkingCalendar.ToLocalDate(r.OccurredAt).ToDateOnly(), r.OccurredAt, (byte)r.Level))]));
    }

    /// <summary>Appends <paramref name="count"/> events of one institution straight to the log, as years of history would be.</summary>
    public static async Task AppendHistoryAsync(string connectionString, Institution institution, int count)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var today = WorkingCalendar.ToLocalDate(DateTimeOffset.UtcNow).ToDateOnly();
        await using (var importer = await connection.BeginBinaryImportAsync(
            "COPY event_log (institution_id, position, kind, source_id, service_item, channel, domain, day, occurred_at, level, real_name) FROM STDIN (FORMAT BINARY)"))
        {
            for (var position = 1; position <= count; position++)
            {
                await importer.StartRowAsync();
                await importer.WriteAsync(institution.Id, NpgsqlDbType.Text);
                await importer.WriteAsync((long)position, NpgsqlDbType.Bigint);
                await importer.WriteAsync((short)0, NpgsqlDbType.Smallint);
                await importer.WriteAsync($"history-{position}", NpgsqlDbType.Text);
                await importer.WriteAsync(institution.Services[0], NpgsqlDbType.Text);
                await importer.WriteAsync((short)institution.Channels[0], NpgsqlDbType.Smallint);
                await importer.WriteAsync((short)0, NpgsqlDbType.Smallint);
                await importer.WriteAsync(today.AddDays(-(position % 80)), NpgsqlDbType.Date);
                await importer.WriteAsync(DateTime.UtcNow.AddDays(-(position % 80)), NpgsqlDbType.TimestampTz);
                await importer.WriteAsync((short)(1 + (position % 5)), NpgsqlDbType.Smallint);
                await importer.WriteAsync(false, NpgsqlDbType.Boolean);
            }

            await importer.CompleteAsync();
        }

        await using var bump = new NpgsqlCommand(
            "INSERT INTO institution_position (institution_id, last_position) VALUES ($1, $2) ON CONFLICT (institution_id) DO UPDATE SET last_position = excluded.last_position",
            connection);
        bump.Parameters.Add(new NpgsqlParameter { Value = institution.Id });
        bump.Parameters.Add(new NpgsqlParameter { Value = (long)count });
        await bump.ExecuteNonQueryAsync();

        // A history that grew over months would have been analysed by autovacuum long ago; a million rows copied in at
        // once are not yet, and every plan that reads the log afterwards (this row's replay, the ingest rows after it)
        // would be made for a log without them. Autovacuum never analyses the partitioned parent at all.
        await using var analyze = new NpgsqlCommand("ANALYZE event_log", connection);
        await analyze.ExecuteNonQueryAsync();
    }
}
