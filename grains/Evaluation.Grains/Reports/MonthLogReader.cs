using Evaluation.Contracts.Reports;
using Evaluation.Domain.Registry;
using Evaluation.Domain.Reports;
using Evaluation.Grains.EventLog;
using Npgsql;

namespace Evaluation.Grains.Reports;

/// <summary>Reads a month of the event log as its report counts it.</summary>
public interface IMonthLogReader
{
    Task<MonthLog> ReadAsync(ReportMonth month, InstitutionRegistry registry, CancellationToken cancellationToken = default);
}

/// <summary>
/// The events whose Asia/Shanghai day lies in the month (its partition of the log) and that the log received before
/// the month's end. A rating dated in the month but sent later, and any step taken on a follow-up after the month's
/// end, has a later receipt time and so never changes a past month's report.
/// </summary>
public sealed class PostgresMonthLogReader(NpgsqlDataSource dataSource) : IMonthLogReader
{
    private const string MonthSql = """
        -- Columns 1 to 12 as PostgresEventLog.Counted reads them.
        SELECT institution_id, kind, day, channel, domain, coalesce(level, 0), coalesce(on_time, false),
               coalesce(handling_hours, 0), coalesce(had_open, false), coalesce(verified, false), rated_service_day, service_item, topics
        FROM event_log WHERE day BETWEEN $1 AND $2 AND received_at < $3
        """;

    public async Task<MonthLog> ReadAsync(ReportMonth month, InstitutionRegistry registry, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(MonthSql);
        command.Parameters.Add(new NpgsqlParameter { Value = month.FirstDay });
        command.Parameters.Add(new NpgsqlParameter { Value = month.LastDay });
        command.Parameters.Add(new NpgsqlParameter { Value = month.Cut.UtcDateTime });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var log = new MonthLog();
        while (await reader.ReadAsync(cancellationToken))
        {
            // An institution the registry no longer lists belongs to no city and no ranking.
            if (registry.Find(reader.GetString(0)) is not { } institution)
            {
                continue;
            }

            log.Apply(institution, PostgresEventLog.Counted(reader, 0));
        }

        return log;
    }
}

/// <summary>With <c>--in-memory</c> the log keeps no receipt times, so no month can be cut reproducibly.</summary>
public sealed class NoMonthLogReader : IMonthLogReader
{
    public Task<MonthLog> ReadAsync(ReportMonth month, InstitutionRegistry registry, CancellationToken cancellationToken = default) =>
        throw new ReportRefusedException("monthly reports are computed from the PostgreSQL event log; this system runs in memory");
}
