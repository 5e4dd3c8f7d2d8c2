using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Measures;
using Xunit;

namespace Evaluation.UnitTests.Measures;

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

    /// <summary>
    /// Members apply random ratings, exclusions and service records, days go by and members prune at random
    /// checkpoints, and after every report the running total must equal adding the members' latest aggregates up:
    /// counts exactly, handling hours within the relative 1e-9 of <see cref="Aggregation.Differences"/>. More
    /// reports than a rebuild period, so the running total is checked on both sides of a rebuild.
    /// </summary>
    [Fact]
    public void Running_total_equals_the_sum_of_the_members_latest_aggregates()
    {
        const int Members = 7;
        const int RetentionDays = 12;

        // Service-item tallies go sooner than the rest, as they do in the grains.
        const int ItemRetentionDays = 6;
        var random = new Random(20261124);
        var live = Enumerable.Range(0, Members).Select(_ => new AggregateData()).ToArray();
        var ratings = Enumerable.Range(0, Members).Select(_ => new List<LoggedEvent>()).ToArray();
        var total = new AreaTotal<int>();
        var today = Day;

        for (var report = 0; report < 6_000; report++)
        {
            if (random.Next(150) == 0)
            {
                today = today.AddDays(1);
            }

            var member = random.Next(Members);
            for (var n = random.Next(1, 6); n > 0; n--)
            {
                Aggregation.Apply(live[member], Events.Random(random, today, ratings[member]));
            }

            if (random.Next(10) == 0)
            {
                Aggregation.PruneBefore(live[member], today.AddDays(-RetentionDays));
                Aggregation.PruneServiceItemsBefore(live[member], today.AddDays(-ItemRetentionDays));
            }

            // What a city is handed is a copy: the member goes on applying events to its own aggregate.
            total.Replace(member, Aggregation.Clone(live[member]));

            var expected = Aggregation.Sum(total.Members.Values);
            Assert.Empty(Aggregation.Differences(expected, total.Value));
            Assert.Subset(expected.Tallies.Keys.ToHashSet(), total.Value.Tallies.Keys.ToHashSet());
        }
    }
}
