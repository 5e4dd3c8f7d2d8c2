using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Measures;
using Evaluation.Grains.Areas;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Evaluation.Benchmarks;

/// <summary>
/// What a busy institution's grain state weighs: its checkpoint as the grain keeps it (compacted as of today, as on
/// every save), serialized as the grain storage writes it, and the managed memory its aggregate holds on the heap.
/// </summary>
internal static class StateBytes
{
    /// <summary>The most service items a sample institution publishes: each event names one of them.</summary>
    private const int ServiceItems = 20;

    public static (long Serialized, long Heap) PerInstitution(int days, int eventsPerDay, int copies = 20)
    {
        var serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
        var random = new Random(5);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var kept = new List<InstitutionCheckpoint>(copies);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        for (var copy = 0; copy < copies; copy++)
        {
            var checkpoint = new InstitutionCheckpoint();
            for (var day = days - 1; day >= 0; day--)
            {
                for (var n = 0; n < eventsPerDay; n++)
                {
                    var kind = (LoggedEventKind)random.Next(0, 3);
                    Aggregation.Apply(checkpoint.Aggregate, new LoggedEvent(++checkpoint.Position, kind, today.AddDays(-day), (Channel)random.Next(0, 3),
                        (IpDomain)random.Next(0, 5), (byte)random.Next(1, 6), random.Next(10) > 0, random.NextDouble() * 48, true,
                        $"ITEM-{random.Next(ServiceItems)}"));
                }
            }

            AggregateRetention.Compact(checkpoint.Aggregate, today, MeasureSettings.Default, new UnreportedChanges());
            kept.Add(checkpoint);
        }

        var after = GC.GetTotalMemory(forceFullCollection: true);
        var serialized = serializer.SerializeToArray(kept[0]).LongLength;
        GC.KeepAlive(kept);
        return (serialized, (after - before) / copies);
    }
}
