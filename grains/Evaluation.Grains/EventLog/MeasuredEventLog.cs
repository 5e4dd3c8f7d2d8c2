using System.Diagnostics;
using Evaluation.Contracts.Ingestion;
using Evaluation.Grains.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace Evaluation.Grains.EventLog;

/// <summary>
/// Times every append and counts the ratings it commits, whichever log is in use and whichever grain appends,
/// so the grains carry no metrics code of their own.
/// </summary>
public sealed class MeasuredEventLog(IEventLog inner) : IEventLog
{
    public async Task<IReadOnlyList<AppendOutcome>> AppendAsync(IReadOnlyList<PendingEvent> events, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var outcomes = await inner.AppendAsync(events, cancellationToken);
        IngestionMetrics.LogAppendDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        // By source: few of them (each configured by an operator), and the rate of each is what one watches.
        foreach (var bySource in events.Where((e, i) => outcomes[i].Logged?.Kind == LoggedEventKind.Evaluation).GroupBy(e => e.Source))
        {
            IngestionMetrics.RatingsAcknowledged.Add(bySource.Count(), new KeyValuePair<string, object?>("source", bySource.Key));
        }

        return outcomes;
    }

    public Task<long> ReadAsync(string institutionId, long afterPosition, long upToPosition, Action<LoggedEvent, long> each, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(institutionId, afterPosition, upToPosition, each, cancellationToken);

    public Task<long> LastPositionAsync(string institutionId, CancellationToken cancellationToken = default) =>
        inner.LastPositionAsync(institutionId, cancellationToken);

    public Task<IReadOnlyList<SentEvent>> ListBySourceAsync(
        string source, DateTimeOffset from, DateTimeOffset to, LoggedEventKind? kind, int offset, int limit, CancellationToken cancellationToken = default) =>
        inner.ListBySourceAsync(source, from, to, kind, offset, limit, cancellationToken);

    public Task<long> CountBySourceAsync(string source, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        inner.CountBySourceAsync(source, from, to, cancellationToken);

    public Task<IReadOnlySet<string>> ClaimedAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default) =>
        inner.ClaimedAsync(keys, cancellationToken);

    public Task<IReadOnlyDictionary<string, long>> LastPositionsAsync(CancellationToken cancellationToken = default) =>
        inner.LastPositionsAsync(cancellationToken);
}

public static class MeasuredEventLogExtensions
{
    /// <summary>Registers <typeparamref name="TLog"/> as the event log, measured.</summary>
    public static IServiceCollection AddEventLog<TLog>(this IServiceCollection services)
        where TLog : class, IEventLog
    {
        services.AddSingleton<TLog>();
        return services.AddSingleton<IEventLog>(sp => new MeasuredEventLog(sp.GetRequiredService<TLog>()));
    }
}
