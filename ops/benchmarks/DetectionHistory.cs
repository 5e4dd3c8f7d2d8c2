using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Registry;
using Npgsql;
using NpgsqlTypes;

namespace Evaluation.Benchmarks;

/// <summary>
/// Days of logged history for many institutions, written straight into the event log with binary COPY (as an
/// import of past years would be) and replayed by the institution grains as they activate. Each institution's
/// events come from its own seeded generator, so the benchmark can rebuild any institution's events again (to
/// weigh what a detection pass moves) without holding millions of them. Per day an institution gets 0 to
/// 2 × <c>ratingsPerDay</c> ratings (about 5 % 差评, a few institutions three times as many) on its own channels and
/// service items, and a completed service on half the days: a quiet county window's traffic, kept small so
/// 10,000 institutions × 400 days fit in minutes and a few GB on a shared machine.
/// </summary>
internal sealed class DetectionHistory(IReadOnlyList<Institution> institutions, int days, int ratingsPerDay, int seed)
{
    public IReadOnlyList<Institution> Institutions => institutions;

    public int Days => days;

    public DateOnly Today { get; } = Evaluation.Domain.Calendar.WorkingCalendar.ToLocalDate(DateTimeOffset.UtcNow).ToDateOnly();

    /// <summary>The events of institution <paramref name="index"/>, positions 1, 2, … in day order; the same on every call.</summary>
    public IEnumerable<LoggedEvent> EventsOf(int index)
    {
        var institution = institutions[index];
        var random = new Random(seed + index);
        var poor = random.NextDouble() < 0.02;
        var position = 0L;
        for (var age = days - 1; age >= 0; age--)
        {
            var day = Today.AddDays(-age);
            var ratings = random.Next(0, (2 * ratingsPerDay) + 1);
            for (var n = 0; n < ratings; n++)
            {
                yield return new LoggedEvent(
                    ++position, LoggedEventKind.Evaluation, day, Pick(random, institution.Channels), IpDomain.Patent, Level(random, poor),
                    false, 0, false, Pick(random, institution.Services));
            }

            if (random.NextDouble() < 0.5)
            {
                var hours = random.Next(1, 96);
                yield return new LoggedEvent(
                    ++position, LoggedEventKind.ServiceCompleted, day, Pick(random, institution.Channels), IpDomain.Patent, 0,
                    hours <= 72, hours, false, Pick(random, institution.Services));
            }
        }
    }

    /// <summary>Copies every institution's events into the log and records their last positions; answers the events written.</summary>
    public async Task<long> CopyAsync(string connectionString, Action<string> progress)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var written = 0L;
        var last = new long[institutions.Count];
        await using (var importer = await connection.BeginBinaryImportAsync(
            "COPY event_log (institution_id, position, kind, source_id, service_item, channel, domain, day, occurred_at, level, real_name, on_time, handling_hours, had_open) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < institutions.Count; i++)
            {
                var id = institutions[i].Id;
                foreach (var e in EventsOf(i))
                {
                    var occurred = e.Day.ToDateTime(new TimeOnly(2, 0), DateTimeKind.Utc);
                    await importer.StartRowAsync();
                    await importer.WriteAsync(id, NpgsqlDbType.Text);
                    await importer.WriteAsync(e.Position, NpgsqlDbType.Bigint);
                    await importer.WriteAsync((short)e.Kind, NpgsqlDbType.Smallint);
                    await importer.WriteAsync($"history-{id}-{e.Position}", NpgsqlDbType.Text);
                    await importer.WriteAsync(e.ServiceItem!, NpgsqlDbType.Text);
                    await importer.WriteAsync((short)e.Channel, NpgsqlDbType.Smallint);
                    await importer.WriteAsync((short)e.Domain, NpgsqlDbType.Smallint);
                    await importer.WriteAsync(e.Day, NpgsqlDbType.Date);
                    await importer.WriteAsync(occurred, NpgsqlDbType.TimestampTz);
                    if (e.Kind == LoggedEventKind.Evaluation)
                    {
                        await importer.WriteAsync((short)e.Level, NpgsqlDbType.Smallint);
                        await importer.WriteAsync(false, NpgsqlDbType.Boolean);
                        await importer.WriteNullAsync();
                        await importer.WriteNullAsync();
                        await importer.WriteNullAsync();
                    }
                    else
                    {
                        await importer.WriteNullAsync();
                        await importer.WriteNullAsync();
                        await importer.WriteAsync(e.OnTime, NpgsqlDbType.Boolean);
                        await importer.WriteAsync(e.HandlingHours, NpgsqlDbType.Double);
                        await importer.WriteAsync(false, NpgsqlDbType.Boolean);
                    }

                    last[i] = e.Position;
                    written++;
                }

                if ((i + 1) % 1000 == 0)
                {
                    progress($"{i + 1:N0} institutions, {written:N0} events");
                }
            }

            await importer.CompleteAsync();
        }

        await using (var positions = await connection.BeginBinaryImportAsync("COPY institution_position (institution_id, last_position) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < institutions.Count; i++)
            {
                await positions.WriteRowAsync(CancellationToken.None, institutions[i].Id, last[i]);
            }

            await positions.CompleteAsync();
        }

        await using var analyze = new NpgsqlCommand("ANALYZE event_log", connection);
        await analyze.ExecuteNonQueryAsync();
        return written;
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> choices) => choices[random.Next(choices.Count)];

    private static byte Level(Random random, bool poor) => (random.NextDouble() * (poor ? 0.33 : 1)) switch
    {
        < 0.02 => 1,
        < 0.05 => 2,
        < 0.15 => 3,
        < 0.50 => 4,
        _ => 5,
    };
}
