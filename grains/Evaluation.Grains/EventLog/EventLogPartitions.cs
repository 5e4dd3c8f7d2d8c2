using Npgsql;

namespace Evaluation.Grains.EventLog;

/// <summary>
/// The monthly partitions of <c>event_log</c> (by the Asia/Shanghai <c>day</c> an event counts on,
/// ops/sql/004). There is no default partition, so a month must exist before its first event
/// arrives; <see cref="EnsureAsync"/> creates the missing months of the window around a day
/// through <c>ensure_event_log_partitions</c>, which is idempotent and serialises concurrent callers.
/// </summary>
public sealed class EventLogPartitions(NpgsqlDataSource dataSource)
{
    /// <summary>Ingestion accepts events up to 366 days back, which is at most 13 calendar months.</summary>
    public const int MonthsBack = 13;

    /// <summary>Months kept ready ahead of today: a failing daily round has some 90 days of retries before a month is missing.</summary>
    public const int MonthsAhead = 3;

    // Creating a partition briefly locks event_log exclusively and so waits for running appends and
    // replays; past this wait it gives up and leaves the month to the next round instead of holding
    // every new append in the lock queue behind it.
    private const string LockTimeout = "10s";

    /// <summary>The first days of the first and last month the window around <paramref name="today"/> covers.</summary>
    public static (DateOnly From, DateOnly To) Window(DateOnly today)
    {
        var month = new DateOnly(today.Year, today.Month, 1);
        return (month.AddMonths(-MonthsBack), month.AddMonths(MonthsAhead));
    }

    /// <summary>Creates the partitions missing in <see cref="Window"/> of <paramref name="today"/>; answers how many it created.</summary>
    public Task<int> EnsureAsync(DateOnly today, CancellationToken cancellationToken = default)
    {
        var (from, to) = Window(today);
        return EnsureAsync(from, to, cancellationToken);
    }

    /// <summary>Creates the partitions missing for the months from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public async Task<int> EnsureAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var timeout = new NpgsqlCommand($"SET LOCAL lock_timeout = '{LockTimeout}'", connection, transaction))
        {
            await timeout.ExecuteNonQueryAsync(cancellationToken);
        }

        int created;
        await using (var ensure = new NpgsqlCommand("SELECT ensure_event_log_partitions($1, $2)", connection, transaction))
        {
            ensure.Parameters.Add(new NpgsqlParameter { Value = from });
            ensure.Parameters.Add(new NpgsqlParameter { Value = to });
            created = (int)(await ensure.ExecuteScalarAsync(cancellationToken))!;
        }

        await transaction.CommitAsync(cancellationToken);
        return created;
    }
}
