using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Measures;
using Xunit;

namespace Evaluation.Domain.Tests.Measures;

/// <summary>
/// Days older than any window are folded into months (<see cref="AggregateRetention"/>). Evaluation.UnitTests'
/// MonthFoldSimulationTests check every measure against days kept one by one over a grain's life.
/// </summary>
public sealed class MonthFoldTests
{
    private static readonly MeasureSettings Settings = MeasureSettings.Default;

    [Fact]
    public void Days_are_kept_one_by_one_for_the_longest_window()
    {
        Assert.True(Settings.DailyDays >= Windows.All.Max(w => w.Days));
    }

    [Fact]
    public void An_event_of_a_folded_day_counts_in_its_month()
    {
        var today = new DateOnly(2026, 5, 10);
        var data = Events.Aggregate(Events.Rating(today, 5));
        AggregateRetention.Compact(data, today, Settings, new UnreportedChanges());
        var old = new DateOnly(2026, 1, 31);

        Aggregation.Apply(data, Events.Rating(old, 2));
        Aggregation.Apply(data, Events.Completed(today, 3) with { RatedServiceDay = old });

        var month = Assert.Single(data.Months);
        Assert.Equal(new MonthKey(2026, 1, Channel.Window, IpDomain.Patent), month.Key);
        Assert.Equal([0L, 1, 0, 0, 0], month.Value.Levels);
        Assert.Equal(1, month.Value.RatedServices);
        Assert.DoesNotContain(data.Tallies.Keys, key => key.Day == old);
    }

    [Fact]
    public void A_month_is_pruned_once_it_ends_before_the_retention()
    {
        var today = new DateOnly(2026, 5, 10);
        var firstKept = today.AddDays(-Settings.RetentionDays);
        var data = Events.Aggregate(Events.Rating(firstKept, 4), Events.Rating(firstKept.AddDays(-firstKept.Day), 1));

        AggregateRetention.Compact(data, today, Settings, new UnreportedChanges());

        var month = Assert.Single(data.Months);
        Assert.Equal((firstKept.Year, firstKept.Month), (month.Key.Year, month.Key.Month));
        Assert.Equal([0L, 0, 0, 1, 0], month.Value.Levels);
    }
}
