using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Measures;
using Xunit;

namespace Evaluation.Domain.Tests.Measures;

/// <summary>
/// The report protocol between institutions and their city, played out without grains: a member reports a delta
/// from the report its area acknowledged, or its whole aggregate when the area holds none it can follow on from.
/// </summary>
public sealed class ReportedTotalTests
{
    private static readonly DateOnly Day = new(2026, 3, 10);
    private static readonly TallyKey Key = new(Day, Channel.Window, IpDomain.Patent);

    [Fact]
    public void A_delta_replaces_the_changed_tallies_and_drops_the_removed_ones()
    {
        var old = Key with { Day = Day.AddDays(-1) };
        var member = Events.Aggregate(Events.Rating(Day, 5), Events.Rating(old.Day, 2), Events.Opened(Day));
        var total = new ReportedTotal<string>();
        total.Accept("a", 3, Aggregation.Clone(member));
        total.Accept("b", 1, Events.Aggregate(Events.Rating(Day, 1)));

        var changed = Events.Aggregate(Events.Rating(Day, 5), Events.Rating(Day, 4), Events.Completed(Day, 2));
        Assert.True(total.Accept("a", new AggregateDelta(3, 6, new Dictionary<TallyKey, Tally> { [Key] = changed.Tallies[Key] }, [old], 0)));

        Assert.Equal([Key], total.Total.Value.Tallies.Keys);
        var tally = total.Total.Value.Tallies[Key];
        Assert.Equal([1L, 0, 0, 1, 1], tally.Levels);
        Assert.Equal(1, tally.Completed);
        Assert.Equal(0, total.Total.Value.Backlog);
    }

    [Fact]
    public void A_delta_carries_the_changed_and_pruned_service_item_tallies()
    {
        var member = Events.Aggregate(Events.Rating(Day.AddDays(-1), 2, item: "TM-REG"), Events.Rating(Day, 5, item: "PAT-SEARCH"));
        var changes = new UnreportedChanges();
        var total = new ReportedTotal<string>();
        total.Accept("a", 2, Aggregation.Clone(member));
        total.Accept("b", 1, Events.Aggregate(Events.Rating(Day, 1, item: "PAT-SEARCH")));
        changes.Acknowledged(2);

        var rating = Events.Rating(Day, 4, item: "PAT-SEARCH") with { Position = 3 };
        Aggregation.Apply(member, rating);
        changes.Changed(rating);
        changes.Changed(Aggregation.PruneServiceItemsBefore(member, Day));
        var delta = changes.TakeDelta(member, 3)!;

        Assert.Equal([new ServiceItemKey(Day, "PAT-SEARCH")], delta.ChangedItems!.Keys);
        Assert.Equal([new ServiceItemKey(Day.AddDays(-1), "TM-REG")], delta.RemovedItems);
        Assert.True(total.Accept("a", delta));
        Assert.Equal([new ServiceItemKey(Day, "PAT-SEARCH")], total.Total.Value.ServiceItems.Keys);
        Assert.Equal([1L, 0, 0, 1, 1], total.Total.Value.ServiceItems[new ServiceItemKey(Day, "PAT-SEARCH")].Levels);
        Assert.False(changes.Pending);

        // A delta the area did not take leaves its item keys pending for the next one.
        changes.NotTaken(delta);
        Assert.True(changes.Pending);
        Assert.Equal(delta.ChangedItems.Keys, changes.TakeDelta(member, 3)!.ChangedItems!.Keys);
    }

    [Fact]
    public void A_delta_that_does_not_follow_on_from_the_held_report_is_refused()
    {
        var total = new ReportedTotal<string>();
        var delta = new AggregateDelta(3, 6, new Dictionary<TallyKey, Tally> { [Key] = new() }, [], 1);

        Assert.False(total.Accept("a", delta));
        total.Accept("a", 4, Events.Aggregate(Events.Rating(Day, 5)));
        Assert.False(total.Accept("a", delta));
        Assert.Equal([0L, 0, 0, 0, 1], total.Total.Value.Tallies[Key].Levels);
    }
}
