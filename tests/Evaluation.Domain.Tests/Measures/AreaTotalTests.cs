using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Measures;
using Xunit;

namespace Evaluation.Domain.Tests.Measures;

public sealed class AreaTotalTests
{
    private static readonly DateOnly Day = new(2026, 3, 10);

    [Fact]
    public void A_report_takes_the_place_of_the_members_previous_one()
    {
        var total = new AreaTotal<string>();
        total.Replace("a", Events.Aggregate(Events.Rating(Day, 5), Events.Opened(Day)));
        total.Replace("b", Events.Aggregate(Events.Rating(Day, 1)));

        total.Replace("a", Events.Aggregate(Events.Rating(Day, 5), Events.Opened(Day), Events.Completed(Day, 2), Events.Rating(Day, 4)));

        var tally = total.Value.Tallies[new TallyKey(Day, Channel.Window, IpDomain.Patent)];
        Assert.Equal([1L, 0, 0, 1, 1], tally.Levels);
        Assert.Equal(1, tally.Opened);
        Assert.Equal(1, tally.Completed);
        Assert.Equal(2, tally.HandlingHoursSum);
        Assert.Equal(0, total.Value.Backlog);
    }

    [Fact]
    public void Days_every_member_has_pruned_leave_the_total()
    {
        var old = Day.AddDays(-1);
        var a = Events.Aggregate(Events.Rating(old, 3), Events.Completed(old, 0.1, hadOpen: false), Events.Completed(old, 0.2, hadOpen: false), Events.Rating(Day, 4));
        var b = Events.Aggregate(Events.Completed(old, 0.3, hadOpen: false));
        var total = new AreaTotal<string>();
        total.Replace("a", Aggregation.Clone(a));
        total.Replace("b", Aggregation.Clone(b));

        Aggregation.PruneBefore(a, Day);
        Aggregation.PruneBefore(b, Day);
        total.Replace("a", a);
        total.Replace("b", b);

        // In doubles (0.1 + 0.2 + 0.3) - (0.1 + 0.2) - 0.3 is not zero; the day must go all the same.
        Assert.Equal([new TallyKey(Day, Channel.Window, IpDomain.Patent)], total.Value.Tallies.Keys);
    }
}
