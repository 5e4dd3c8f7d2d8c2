using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Measures;
using Xunit;

namespace Evaluation.Domain.Tests.Measures;

/// <summary>Measures per channel, IP domain and service item over every window, and the worst service items.</summary>
public sealed class BreakdownTests
{
    private static readonly DateOnly Today = new(2026, 3, 10);
    private static readonly DateTimeOffset AsOf = new(2026, 3, 10, 15, 0, 0, TimeSpan.FromHours(8));
    private static readonly PeerPrior Prior = new(4.0, 1000);

    [Fact]
    public void Each_part_has_every_window_with_the_events_of_its_days()
    {
        var data = Events.Aggregate(
            Events.Rating(Today, 5, Channel.Online, IpDomain.Trademark, "TM-REG"),
            Events.Rating(Today.AddDays(-6), 1, Channel.Online, IpDomain.Trademark, "TM-REG"),
            Events.Rating(Today.AddDays(-29), 4, Channel.Hotline, IpDomain.Patent, "PAT-SEARCH"),
            Events.Rating(Today.AddDays(-89), 2, Channel.Online, IpDomain.Patent, "PAT-SEARCH"),
            Events.Rating(Today.AddDays(-90), 2, Channel.Online, IpDomain.Patent, "PAT-SEARCH"),
            Events.Completed(Today.AddDays(-3), 4, onTime: false, channel: Channel.Online, item: "TM-REG"));

        var b = Breakdowns(data);

        var online = b.ByChannel[Channel.Online];
        Assert.Equal([1L, 2, 2, 3], Windows.All.Select(w => online.Scores[w.Name].Count));
        Assert.Equal([0L, 0, 1, 1], Windows.All.Select(w => b.ByChannel[Channel.Hotline].Scores[w.Name].Count));
        Assert.Equal([0L, 0, 1, 2], Windows.All.Select(w => b.ByServiceItem["PAT-SEARCH"].Scores[w.Name].Count));
        Assert.Equal([0L, 0, 1, 2], Windows.All.Select(w => b.ByDomain[IpDomain.Patent].Scores[w.Name].Count));

        var item = b.ByServiceItem["TM-REG"];
        Assert.Equal([0L, 0, 0, 0, 1], item.Scores[Windows.Today].Levels);
        Assert.Equal([1L, 0, 0, 0, 1], item.Scores[Windows.Days7].Levels);
        Assert.Equal(1, item.Service[Windows.Days7].Completed);
        Assert.Equal(0, item.Service[Windows.Days7].OnTimeRate);
        Assert.Equal(0.0, item.Service[Windows.Days7].EvaluationRate); // 一事一评: neither rating names the record
        Assert.Equal(0, item.Service[Windows.Today].Completed);
        Assert.Equal(1, item.Handling[Windows.Days7].FollowUps); // the level-1 rating opened one
    }

    [Fact]
    public void Parts_use_the_areas_formulas_and_prior()
    {
        var data = Events.Aggregate(
            Events.Rating(Today, 5, Channel.Online, item: "TM-REG"),
            Events.Rating(Today.AddDays(-2), 2, Channel.Online, item: "TM-REG"));

        var part = Breakdowns(data).ByServiceItem["TM-REG"].Scores[Windows.Days7];
        var direct = MeasureCalculator.Score([0, 1, 0, 0, 1], Prior, MeasureSettings.Default, MeasureSettings.Default.MinSampleFor(Windows.Days7));

        Assert.Equal(direct.SmoothedScore, part.SmoothedScore);
        Assert.Equal(direct.Interval, part.Interval);
        Assert.False(part.Ranked);

        // The area's own 30-day channel score is the breakdown's, by the one definition.
        var measures = MeasureCalculator.Compute(data, AsOf, Today, Prior, MeasureSettings.Default);
        Assert.Equal(measures.ByChannel[Channel.Online].SmoothedScore, Breakdowns(data).ByChannel[Channel.Online].Scores[Windows.Days30].SmoothedScore);
    }

    [Fact]
    public void Worst_service_items_come_first_and_small_samples_last_unranked()
    {
        var events = new List<LoggedEvent>();
        void Rate(string item, int level, int count)
        {
            for (var i = 0; i < count; i++)
            {
                events.Add(Events.Rating(Today.AddDays(-(i % 20)), level, item: item));
            }
        }

        // Minimum sample over 30 days is 20 ratings.
        Rate("GOOD", 5, 25);
        Rate("BAD", 1, 25);
        Rate("MIDDLE", 3, 30);
        Rate("FEW", 1, 5);
        var b = Breakdowns(Events.Aggregate([.. events]), code => code == "BAD" ? "坏事项" : null);

        Assert.Equal(["BAD", "MIDDLE", "GOOD", "FEW"], b.WorstServiceItems.Select(e => e.Id));
        Assert.Equal([3, 2, 1], b.WorstServiceItems.Take(3).Select(e => e.Rank!.Value));
        Assert.Equal("坏事项", b.WorstServiceItems[0].Name);
        Assert.Equal("MIDDLE", b.WorstServiceItems[1].Name);
        Assert.False(b.WorstServiceItems[^1].Ranked);
        Assert.Null(b.WorstServiceItems[^1].Rank);
        Assert.All(b.WorstServiceItems, e => Assert.Equal(MeasureCalculator.ServiceItemPeerGroup, e.PeerGroup));
    }

    [Fact]
    public void Parts_without_events_in_ninety_days_are_left_out()
    {
        var data = Events.Aggregate(Events.Rating(Today.AddDays(-90), 5, Channel.Hotline, item: "OLD"));

        var b = Breakdowns(data);

        Assert.Empty(b.ByChannel);
        Assert.Empty(b.ByDomain);
        Assert.Empty(b.ByServiceItem);
        Assert.Empty(b.WorstServiceItems);
        Assert.Equal(AsOf, b.AsOf);
    }

    private static AreaBreakdowns Breakdowns(AggregateData data, Func<string, string?>? nameOf = null) =>
        MeasureCalculator.Breakdowns(data, AsOf, Today, Prior, MeasureSettings.Default, nameOf ?? (_ => null));
}
