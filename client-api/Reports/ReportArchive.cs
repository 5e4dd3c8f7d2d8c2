using System.Collections.Concurrent;
using Evaluation.ClientApi.Exports;
using Npgsql;

namespace Evaluation.ClientApi.Reports;

/// <summary>A report file as archived: which month, scope and format it is, and when it was first generated.</summary>
public sealed record ArchivedReport(string Sha256, string Month, string Scope, string Format, DateTimeOffset GeneratedAt);

/// <summary>Every distinct report file handed out, by its SHA-256, so a circulated copy can be checked and served again.</summary>
public interface IReportArchive
{
    /// <summary>Keeps the file unless the same bytes are kept already; answers the record of its first generation.</summary>
    Task<ArchivedReport> StoreAsync(string sha256, string month, string scope, ReportFile file, CancellationToken cancellationToken);

    Task<(ArchivedReport Report, ReportFile File)?> FindAsync(string sha256, CancellationToken cancellationToken);
}

/// <summary>The <c>monthly_report</c> table (ops/sql/011_reports.sql).</summary>
public sealed class PostgresReportArchive(NpgsqlDataSource dataSource) : IReportArchive
{
    public async Task<ArchivedReport> StoreAsync(string sha256, string month, string scope, ReportFile file, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            WITH added AS (
                INSERT INTO monthly_report (sha256, month, scope, format, content) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (sha256) DO NOTHING RETURNING generated_at)
            SELECT generated_at FROM added UNION ALL SELECT generated_at FROM monthly_report WHERE sha256 = $1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = sha256 });
        command.Parameters.Add(new NpgsqlParameter { Value = DateOnly.ParseExact(month + "-01", "yyyy-MM-dd") });
        command.Parameters.Add(new NpgsqlParameter { Value = scope });
        command.Parameters.Add(new NpgsqlParameter { Value = ExportFormats.Word(file.Format) });
        command.Parameters.Add(new NpgsqlParameter { Value = file.Content });
        var generatedAt = (DateTime)(await command.ExecuteScalarAsync(cancellationToken))!;
        return new ArchivedReport(sha256, month, scope, ExportFormats.Word(file.Format), new DateTimeOffset(generatedAt, TimeSpan.Zero));
    }

    public async Task<(ArchivedReport Report, ReportFile File)?> FindAsync(string sha256, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT to_char(month, 'YYYY-MM'), scope, format, generated_at, content FROM monthly_report WHERE sha256 = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = sha256 });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var report = new ArchivedReport(sha256, reader.GetString(0), reader.GetString(1), reader.GetString(2),
            new DateTimeOffset(reader.GetDateTime(3), TimeSpan.Zero));
        return (report, ReportArchives.FileOf(report, reader.GetFieldValue<byte[]>(4)));
    }
}

/// <summary>With <c>--in-memory</c>: this process only, lost on restart (and reports need PostgreSQL anyway).</summary>
public sealed class InProcessReportArchive(TimeProvider time) : IReportArchive
{
    private readonly ConcurrentDictionary<string, (ArchivedReport Report, byte[] Content)> files = new(StringComparer.Ordinal);

    public Task<ArchivedReport> StoreAsync(string sha256, string month, string scope, ReportFile file, CancellationToken cancellationToken) =>
        Task.FromResult(files.GetOrAdd(sha256, _ => (new ArchivedReport(sha256, month, scope, ExportFormats.Word(file.Format), time.GetUtcNow()), file.Content)).Report);

    public Task<(ArchivedReport Report, ReportFile File)?> FindAsync(string sha256, CancellationToken cancellationToken) =>
        Task.FromResult<(ArchivedReport, ReportFile)?>(files.TryGetValue(sha256, out var kept) ? (kept.Report, ReportArchives.FileOf(kept.Report, kept.Content)) : null);
}

public static class ReportArchives
{
    /// <summary>An archived file as it was served: its content type and name follow from its format.</summary>
    public static ReportFile FileOf(ArchivedReport report, byte[] content)
    {
        var format = Enum.GetValues<ExportFormat>().Single(f => ExportFormats.Word(f) == report.Format);
        return ReportFiles.Describe(format, $"report-{report.Month}-{report.Scope}") with { Content = content };
    }
}
