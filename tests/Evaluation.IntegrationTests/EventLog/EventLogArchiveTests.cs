using Evaluation.IntegrationTests.Infrastructure;
using Npgsql;
using Xunit;

namespace Evaluation.IntegrationTests.EventLog;

/// <summary>
/// Issue 18.5, archiving: ops/pg/archive moves months of event_log older than the retention out of the database into
/// compressed files with SHA-256 checksums, only after reading each file back equal to the month; a month that
/// cannot be archived stays in the log; an archived month restores row for row, and a damaged file is refused.
/// </summary>
public sealed class EventLogArchiveTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("eval-archive-").FullName;

    private Dictionary<string, string> Environment => new() { ["EVAL_DB"] = database.ConnectionString };

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task Months_past_the_retention_leave_for_verified_files_and_come_back_row_for_row()
    {
        var ct = TestContext.Current.CancellationToken;
        var thisMonth = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).DateTime);
        thisMonth = new DateOnly(thisMonth.Year, thisMonth.Month, 1);
        var (oldest, old, kept) = (thisMonth.AddMonths(-20), thisMonth.AddMonths(-16), thisMonth.AddMonths(-13));
        foreach (var month in new[] { oldest, old, kept })
        {
            await LogAsync(month, rows: 40);
        }

        var before = new Dictionary<DateOnly, string>();
        foreach (var month in new[] { oldest, old, kept })
        {
            before[month] = await FingerprintAsync(Partition(month));
        }

        Assert.NotEqual(0, (await OpsScript.TryAsync("pg/archive", Environment, "months", directory, "--retention-months", "12")).ExitCode);

        // A month whose file cannot be written stays in the log.
        Directory.CreateDirectory(Path.Combine(directory, $"{Partition(oldest)}.dump.partial"));
        Assert.NotEqual(0, (await OpsScript.TryAsync("pg/archive", Environment, "months", directory, "--retention-months", "14")).ExitCode);
        Assert.True(await AttachedAsync(oldest), "a month that failed to archive must be attached again");
        Assert.Equal(before[oldest], await FingerprintAsync(Partition(oldest)));
        Directory.Delete(Path.Combine(directory, $"{Partition(oldest)}.dump.partial"));

        await OpsScript.RunAsync("pg/archive", Environment, "months", directory, "--retention-months", "14");

        foreach (var month in new[] { oldest, old })
        {
            Assert.False(await ExistsAsync(month), $"{Partition(month)} should have been archived and dropped");
            var file = Path.Combine(directory, $"{Partition(month)}.dump");
            var checksum = (await File.ReadAllTextAsync(Path.Combine(directory, $"{Partition(month)}.dump.sha256"), ct)).Split(' ')[0];
            await using var stream = File.OpenRead(file);
            Assert.Equal(checksum, Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(stream, ct)));
        }

        Assert.True(await AttachedAsync(kept), "a month within the retention stays in the log");
        Assert.Equal(before[kept], await FingerprintAsync(Partition(kept)));
        Assert.Contains("0 month(s) archived", await OpsScript.RunAsync("pg/archive", Environment, "months", directory, "--retention-months", "14"), StringComparison.Ordinal);

        // A damaged file is refused; an intact one comes back attached, row for row.
        var damaged = Path.Combine(directory, "damaged", $"{Partition(old)}.dump");
        Directory.CreateDirectory(Path.GetDirectoryName(damaged)!);
        var bytes = await File.ReadAllBytesAsync(Path.Combine(directory, $"{Partition(old)}.dump"), ct);
        bytes[^10] ^= 0xFF;
        await File.WriteAllBytesAsync(damaged, bytes, ct);
        File.Copy(Path.Combine(directory, $"{Partition(old)}.dump.sha256"), damaged + ".sha256");
        Assert.NotEqual(0, (await OpsScript.TryAsync("pg/archive", Environment, "restore", damaged)).ExitCode);
        Assert.False(await ExistsAsync(old));

        foreach (var month in new[] { oldest, old })
        {
            await OpsScript.RunAsync("pg/archive", Environment, "restore", Path.Combine(directory, $"{Partition(month)}.dump"));
            Assert.True(await AttachedAsync(month));
            Assert.Equal(before[month], await FingerprintAsync(Partition(month)));
        }
    }

    private static string Partition(DateOnly month) => $"event_log_{month:yyyy_MM}";

    /// <summary>Ratings of one month written straight into the log, as they were logged in their time.</summary>
    private async Task LogAsync(DateOnly month, int rows)
    {
        await ExecuteAsync($"""
            SELECT ensure_event_log_partitions('{month:yyyy-MM-dd}', '{month:yyyy-MM-dd}');
            INSERT INTO event_log (institution_id, position, kind, source_id, service_item, channel, domain, day, occurred_at, level)
            SELECT 'gd-archive-' || (n % 3), n, 0, 'archived-{month:yyyyMM}-' || n, 'PAT-SEARCH', 0, 0,
                   DATE '{month:yyyy-MM-dd}' + (n % 28), TIMESTAMPTZ '{month:yyyy-MM-dd} 02:00:00+00' + n * interval '1 hour', 1 + n % 5
            FROM generate_series(1, {rows}) AS n
            """);
    }

    private async Task<string> FingerprintAsync(string table) =>
        (string)(await ScalarAsync($"SELECT count(*) || ' ' || md5(string_agg(t::text, E'\\n' ORDER BY seq)) FROM {table} t"))!;

    private async Task<bool> ExistsAsync(DateOnly month) =>
        await ScalarAsync($"SELECT to_regclass('{Partition(month)}') IS NOT NULL") is true;

    private async Task<bool> AttachedAsync(DateOnly month) =>
        await ScalarAsync($"SELECT EXISTS (SELECT FROM pg_inherits WHERE inhparent = 'event_log'::regclass AND inhrelid = to_regclass('{Partition(month)}'))") is true;

    private async Task ExecuteAsync(string sql) => await ScalarAsync(sql);

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
