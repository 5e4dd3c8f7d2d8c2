using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Measures;
using Evaluation.Grains.Areas;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Xunit;

namespace Evaluation.UnitTests.Measures;

/// <summary>
/// An institution's checkpoint as the version before month folding (f2d0065) stored it: 100 days of day tallies, two
/// random events a day. The grain must read it as it was and fold it on activation without changing a measure.
/// </summary>
public sealed class StoredStateTests
{
    private static readonly DateOnly Today = new(2026, 3, 15);
    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    [Fact]
    public void A_checkpoint_stored_before_months_reads_as_it_was_written()
    {
        var stored = Read();

        Assert.Equal(200, stored.Position);
        Assert.Equal(DateOnly.MinValue, stored.Aggregate.FoldedBefore);
        Assert.Empty(stored.Aggregate.Months);
        Assert.Empty(Aggregation.Differences(Written(), stored.Aggregate));
    }

    [Fact]
    public void A_checkpoint_stored_before_months_is_folded_with_every_measure_unchanged()
    {
        var stored = Read();
        var unfolded = Aggregation.Clone(stored.Aggregate);
        var unreported = new UnreportedChanges();

        Assert.True(AggregateRetention.Compact(stored.Aggregate, Today, MeasureSettings.Default, unreported));

        Assert.NotEmpty(stored.Aggregate.Months);
        Assert.All(stored.Aggregate.Tallies.Keys, key => Assert.True(key.Day >= MeasureSettings.Default.FirstDailyDay(Today)));
        var asOf = DateTimeOffset.UnixEpoch;
        Assert.Equal(
            MeasureJson.Of(MeasureCalculator.Compute(unfolded, asOf, Today, null, MeasureSettings.Default)),
            MeasureJson.Of(MeasureCalculator.Compute(stored.Aggregate, asOf, Today, null, MeasureSettings.Default)));
        Assert.Equal(
            MeasureJson.Of(MeasureCalculator.Breakdowns(unfolded, asOf, Today, null, MeasureSettings.Default, code => code)),
            MeasureJson.Of(MeasureCalculator.Breakdowns(stored.Aggregate, asOf, Today, null, MeasureSettings.Default, code => code)));
        Assert.Empty(Aggregation.Differences(unfolded, stored.Aggregate));

        // Stored again, the folded state comes back as it is.
        var again = Serializer.Deserialize<InstitutionCheckpoint>(Serializer.SerializeToArray(stored))!;
        Assert.Equal(stored.Aggregate.FoldedBefore, again.Aggregate.FoldedBefore);
        Assert.Equal(stored.Aggregate.Months.Count, again.Aggregate.Months.Count);
        Assert.Empty(Aggregation.Differences(stored.Aggregate, again.Aggregate));
    }

    private static InstitutionCheckpoint Read() =>
        Serializer.Deserialize<InstitutionCheckpoint>(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Measures/Stored/institution-checkpoint-f2d0065.bin")))!;

    /// <summary>The aggregate the stored checkpoint was written from, made again from the same seed.</summary>
    private static AggregateData Written()
    {
        var random = new Random(5);
        var data = new AggregateData();
        var position = 0L;
        for (var age = 0; age < 100; age++)
        {
            for (var n = 0; n < 2; n++)
            {
                var kind = (LoggedEventKind)random.Next(0, 3);
                Aggregation.Apply(data, new LoggedEvent(++position, kind, Today.AddDays(-age), (Channel)random.Next(0, 3),
                    (IpDomain)random.Next(0, 5), (byte)random.Next(1, 6), random.Next(10) > 0, random.NextDouble() * 48, true, $"ITEM-{random.Next(20)}"));
            }
        }

        Aggregation.PruneServiceItemsBefore(data, MeasureSettings.Default.FirstRetainedServiceItemDay(Today));
        return data;
    }
}
