using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Measures;
using Xunit;

namespace Evaluation.Domain.Tests.Measures;

/// <summary>The per-事项 tallies: the same counters as the main tallies, keyed by day and service item.</summary>
public sealed class ServiceItemAggregationTests
{
    private static readonly DateOnly Day = new(2026, 3, 10);

    [Fact]
    public void A_rating_counts_in_the_tally_of_its_day_and_service_item_across_channels_and_domains()
    {
        var data = Events.Aggregate(
            Events.Rating(Day, 2, Channel.Online, IpDomain.Trademark, "TM-REG"),
            Events.Rating(Day, 5, Channel.Hotline, IpDomain.Patent, "TM-REG"),
            Events.Rating(Day, 4, Channel.Window, IpDomain.Patent, "PAT-SEARCH"),
            Events.Rating(Day.AddDays(-1), 1, Channel.Window, IpDomain.Patent, "TM-REG"));

        Assert.Equal([0L, 1, 0, 0, 1], data.ServiceItems[new ServiceItemKey(Day, "TM-REG")].Levels);
        Assert.Equal([0L, 0, 0, 1, 0], data.ServiceItems[new ServiceItemKey(Day, "PAT-SEARCH")].Levels);
        Assert.Equal([1L, 0, 0, 0, 0], data.ServiceItems[new ServiceItemKey(Day.AddDays(-1), "TM-REG")].Levels);
        Assert.Equal(3, data.ServiceItems.Count);

        // A 差评 opens its follow-up in the item's tally as in the main one.
        Assert.Equal(1, data.ServiceItems[new ServiceItemKey(Day, "TM-REG")].FollowUps!.Opened);
    }

    [Fact]
    public void Follow_up_steps_and_exclusions_count_on_the_item_of_their_rating()
    {
        var rating = Events.Rating(Day, 1, item: "PAT-SEARCH");
        var data = Events.Aggregate(
            rating,
            rating with { Kind = LoggedEventKind.FollowUpCalledBack, OnTime = true },
            rating with { Kind = LoggedEventKind.FollowUpAppealed },
            rating with { Kind = LoggedEventKind.EvaluationExcluded });

        var item = data.ServiceItems[new ServiceItemKey(Day, "PAT-SEARCH")];
        Assert.Equal([0L, 0, 0, 0, 0], item.Levels);
        Assert.Equal(
            FollowUpTally.Values(data.Tallies[Aggregation.KeyOf(rating)].FollowUps),
            FollowUpTally.Values(item.FollowUps));
        Assert.Equal(1, item.FollowUps!.CalledBackOnTime);
        Assert.Equal(1, item.FollowUps.Upheld);
    }

    [Fact]
    public void Services_count_on_their_item_and_the_backlog_once()
    {
        var data = Events.Aggregate(
            Events.Opened(Day, item: "PAT-SEARCH"),
            Events.Opened(Day, item: "PAT-SEARCH"),
            Events.Completed(Day, 30, onTime: false, item: "PAT-SEARCH"),
            Events.Completed(Day, 2, hadOpen: false, item: "TM-REG"));

        var search = data.ServiceItems[new ServiceItemKey(Day, "PAT-SEARCH")];
        Assert.Equal(2, search.Opened);
        Assert.Equal(1, search.Completed);
        Assert.Equal(0, search.CompletedOnTime);
        Assert.Equal(30, search.HandlingHoursSum);
        Assert.Equal(1, search.HandlingHistogram!.Sum());
        Assert.Equal(1, data.ServiceItems[new ServiceItemKey(Day, "TM-REG")].CompletedOnTime);
        Assert.Equal(1, data.Backlog);
    }

    [Fact]
    public void An_event_naming_no_item_counts_in_the_main_tally_only()
    {
        var data = Events.Aggregate(Events.Rating(Day, 3), Events.Opened(Day));

        Assert.Empty(data.ServiceItems);
        Assert.Equal(1, data.Tallies.Values.Single().Opened);
        Assert.Equal(1, data.Backlog);
    }

    [Fact]
    public void The_items_of_a_day_add_up_to_the_main_tallies_of_that_day()
    {
        var random = new Random(7);
        var ratings = new List<LoggedEvent>();
        var data = new AggregateData();
        for (var i = 0; i < 2000; i++)
        {
            var e = Events.Random(random, Day, ratings);

            // Every event names its item here, as every logged event does.
            Aggregation.Apply(data, e with { ServiceItem = e.ServiceItem ?? "OTHER" });
        }

        foreach (var day in data.Tallies.Keys.Select(k => k.Day).Distinct())
        {
            var byKey = new AggregateData { Tallies = { [new TallyKey(day, Channel.Window, IpDomain.Patent)] = Sum(data.Tallies.Where(t => t.Key.Day == day).Select(t => t.Value)) } };
            var byItem = new AggregateData { Tallies = { [new TallyKey(day, Channel.Window, IpDomain.Patent)] = Sum(data.ServiceItems.Where(t => t.Key.Day == day).Select(t => t.Value)) } };
            Assert.Empty(Aggregation.Differences(byKey, byItem));
        }
    }

    [Fact]
    public void Sum_replace_and_clone_carry_the_items()
    {
        var a = Events.Aggregate(Events.Rating(Day, 4, item: "PAT-SEARCH"), Events.Opened(Day, item: "TM-REG"));
        var b = Events.Aggregate(Events.Rating(Day, 2, item: "PAT-SEARCH"));

        var sum = Aggregation.Sum([a, b]);
        Assert.Equal([0L, 1, 0, 1, 0], sum.ServiceItems[new ServiceItemKey(Day, "PAT-SEARCH")].Levels);
        Assert.True(Aggregation.Equal(a, Aggregation.Clone(a)));
        Assert.NotSame(a.ServiceItems.Values.First(), Aggregation.Clone(a).ServiceItems.Values.First());

        // b's rating moves to another item: the total drops the old one's count, and its empty tally with it.
        var bMoved = Events.Aggregate(Events.Rating(Day, 2, item: "COPY-REG"));
        Aggregation.Replace(sum, b, bMoved);
        Assert.Empty(Aggregation.Differences(Aggregation.Sum([a, bMoved]), sum));

        var onlyA = Aggregation.Clone(sum);
        Aggregation.Replace(onlyA, bMoved, new AggregateData());
        Assert.DoesNotContain(new ServiceItemKey(Day, "COPY-REG"), onlyA.ServiceItems.Keys);
    }

    [Fact]
    public void Differences_name_the_item()
    {
        var expected = Events.Aggregate(Events.Rating(Day, 5, item: "PAT-SEARCH"));
        var actual = Events.Aggregate(Events.Rating(Day, 5));

        Assert.Equal(["2026-03-10/item PAT-SEARCH Levels[4]: expected 1, actual 0"], Aggregation.Differences(expected, actual));
    }

    [Fact]
    public void Item_tallies_are_pruned_on_their_own_shorter_retention()
    {
        var settings = new MeasureSettings(RetentionDays: 10, ServiceItemRetentionDays: 3);
        var data = Events.Aggregate(
            Events.Rating(Day.AddDays(-3), 3, item: "PAT-SEARCH"),
            Events.Rating(Day.AddDays(-2), 3, item: "PAT-SEARCH"),
            Events.Rating(Day, 3, item: "PAT-SEARCH"));

        var dropped = Aggregation.PruneServiceItemsBefore(data, settings.FirstRetainedServiceItemDay(Day));
        Aggregation.PruneBefore(data, settings.FirstRetainedDay(Day));

        Assert.Equal([new ServiceItemKey(Day.AddDays(-3), "PAT-SEARCH")], dropped);
        Assert.Equal([Day.AddDays(-2), Day], data.ServiceItems.Keys.Select(k => k.Day).Order());
        Assert.Equal(3, data.Tallies.Count);
    }

    private static Tally Sum(IEnumerable<Tally> tallies)
    {
        var data = new AggregateData();
        var key = new TallyKey(Day, Channel.Window, IpDomain.Patent);
        foreach (var tally in tallies)
        {
            Aggregation.AddInto(data, new AggregateData { Tallies = { [key] = tally } });
        }

        return data.Tallies.GetValueOrDefault(key) ?? new Tally();
    }
}
