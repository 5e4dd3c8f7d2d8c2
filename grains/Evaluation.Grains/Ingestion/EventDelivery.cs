using System.Diagnostics;
using Evaluation.Contracts.Grains;
using Evaluation.Contracts.Ingestion;
using Evaluation.Grains.Telemetry;
using Microsoft.Extensions.Logging;

namespace Evaluation.Grains.Ingestion;

/// <summary>Hands committed events to their institutions right away; one that misses a hand-over reads the log itself.</summary>
public sealed class EventDelivery
{
    private readonly Dictionary<string, List<LoggedEvent>> byInstitution = new(StringComparer.Ordinal);

    public void Add(string institutionId, LoggedEvent logged) =>
        (byInstitution.TryGetValue(institutionId, out var list) ? list : byInstitution[institutionId] = []).Add(logged);

    public async Task DeliverAsync(IGrainFactory grains, ILogger logger)
    {
        try
        {
            var committed = Stopwatch.GetTimestamp();
            await Task.WhenAll(byInstitution.Select(async d =>
            {
                await grains.GetGrain<IInstitutionGrain>(d.Key).Apply(d.Value);
                IngestionMetrics.FreshnessLag.Record(Stopwatch.GetElapsedTime(committed).TotalSeconds);
            }));
        }
        catch (Exception ex)
        {
            // The events are committed; the institution catches up from the log on its own.
            logger.LogWarning(ex, "Handing committed events to {Count} institutions failed; they will catch up from the log", byInstitution.Count);
        }
    }
}
