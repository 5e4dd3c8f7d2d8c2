using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Measures;

namespace Evaluation.Benchmarks;

/// <summary>The managed memory an institution's aggregate (the bulk of its grain's state) holds, measured on this process's heap.</summary>
internal static class StateBytes
{
    /// <summary>The most service items a sample institution publishes: each event names one of them.</summary>
    private const int ServiceItems = 20;

    public static long PerInstitution(int days, int eventsPerDay, int copies = 200)
    {
        var random = new Random(5);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var kept = new List<AggregateData>(copies);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        for (var copy = 0; copy < copies; copy++)
        {
            var data = new AggregateData();
            var position = 0L;
            for (var day = 0; day < days; day++)
            {
                for (var n = 0; n < eventsPerDay; n++)
                {
                    var kind = (LoggedEventKind)random.Next(0, 3);
                    Aggregation.Apply(data, new LoggedEvent(++position, kind, today.AddDays(-day), (Channel)random.Next(0, 3),
                        (IpDomain)random.Next(0, 5), (byte)random.Next(1, 6), random.Next(10) > 0, random.NextDouble() * 48, true,
                        $"ITEM-{random.Next(ServiceItems)}"));
                }
            }

            // As the grain keeps them: service-item tallies for the longest window only.
            Aggregation.PruneServiceItemsBefore(data, MeasureSettings.Default.FirstRetainedServiceItemDay(today));
            kept.Add(data);
        }

        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(kept);
        return (after - before) / copies;
    }
}
