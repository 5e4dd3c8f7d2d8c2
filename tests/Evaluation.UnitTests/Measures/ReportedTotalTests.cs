using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Measures;
using Xunit;

namespace Evaluation.UnitTests.Measures;

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

    /// <summary>
    /// Members apply random events and prune at random; they report as the institution grain does, through
    /// <see cref="UnreportedChanges"/>. Reports get lost on the way, get through with the answer lost, arrive again
    /// late and out of order, and the city re-activates and asks its members for their aggregates. After every
    /// step the total must equal the sum of the city's copies, and the copy of every member with nothing left to
    /// report must equal that member's aggregate; at the end, once every member got through, the total must equal
    /// the sum of the members' aggregates.
    /// </summary>
    [Fact]
    public void Deltas_and_whole_reports_keep_the_total_equal_to_the_sum_of_the_members()
    {
        const int Members = 6;
        const int RetentionDays = 12;

        // Service-item tallies go sooner than the rest, as they do in the grains.
        const int ItemRetentionDays = 6;
        var random = new Random(20261125);
        var live = Enumerable.Range(0, Members).Select(_ => new AggregateData()).ToArray();
        var positions = new long[Members];
        var ratings = Enumerable.Range(0, Members).Select(_ => new List<LoggedEvent>()).ToArray();
        var changes = Enumerable.Range(0, Members).Select(_ => new UnreportedChanges()).ToArray();
        var sent = new List<(int Member, Func<ReportedTotal<int>, bool> Deliver)>();
        var city = new ReportedTotal<int>();
        var today = Day;
        var (deltas, wholes, refused) = (0, 0, 0);

        // Reports as InstitutionGrain.ReportAsync does; a call fails before or after the city took it.
        bool Report(int member, bool mayFail)
        {
            bool Call(Func<ReportedTotal<int>, bool> deliver)
            {
                sent.Add((member, deliver));
                var lostOnTheWay = mayFail && random.Next(12) == 0;
                var answer = !lostOnTheWay && deliver(city);
                return mayFail && random.Next(12) == 0 || lostOnTheWay
                    ? throw new TimeoutException()
                    : answer;
            }

            var delta = changes[member].TakeDelta(live[member], positions[member]);
            try
            {
                if (delta is not null && Call(c => c.Accept(member, delta)))
                {
                    deltas++;
                    changes[member].Acknowledged(delta.ToPosition);
                    return true;
                }

                if (delta is not null)
                {
                    refused++;
                    changes[member].NotTaken(delta);
                }

                var (position, whole) = (positions[member], Aggregation.Clone(live[member]));
                Call(c => c.Accept(member, position, whole) || true);
                wholes++;
                changes[member].Acknowledged(position);
                return true;
            }
            catch (TimeoutException)
            {
                if (delta is not null)
                {
                    changes[member].NotTaken(delta);
                }

                changes[member].Failed();
                return false;
            }
        }

        void Check()
        {
            Assert.Empty(Aggregation.Differences(Aggregation.Sum(city.Total.Members.Values), city.Total.Value));
            for (var member = 0; member < Members; member++)
            {
                if (!changes[member].Pending)
                {
                    Assert.Empty(Aggregation.Differences(live[member], city.Total.Members[member]));
                }
            }
        }

        for (var step = 0; step < 8_000; step++)
        {
            if (random.Next(150) == 0)
            {
                today = today.AddDays(1);
            }

            var member = random.Next(Members);
            for (var n = random.Next(4); n > 0; n--)
            {
                var e = Events.Random(random, today, ratings[member]) with { Position = ++positions[member] };
                Aggregation.Apply(live[member], e);
                changes[member].Changed(e);
            }

            if (random.Next(15) == 0)
            {
                changes[member].Changed(Aggregation.PruneBefore(live[member], today.AddDays(-RetentionDays)));
                changes[member].Changed(Aggregation.PruneServiceItemsBefore(live[member], today.AddDays(-ItemRetentionDays)));
            }

            if (changes[member].Pending && random.Next(3) > 0)
            {
                Report(member, mayFail: true);
            }

            // A report delivered again, late: it must change nothing the members' later reports did.
            if (sent.Count > 0 && random.Next(20) == 0)
            {
                sent[random.Next(sent.Count)].Deliver(city);
            }

            // A re-activated city knows nothing and asks each member for its aggregate and position.
            if (random.Next(400) == 0)
            {
                city = new ReportedTotal<int>();
                for (var m = 0; m < Members; m++)
                {
                    city.Accept(m, positions[m], Aggregation.Clone(live[m]));
                }
            }

            Check();
        }

        for (var member = 0; member < Members; member++)
        {
            while (changes[member].Pending)
            {
                Report(member, mayFail: false);
            }
        }

        Check();
        Assert.Empty(Aggregation.Differences(Aggregation.Sum(live), city.Total.Value));
        Assert.True(deltas > 1_000 && wholes > 100 && refused > 0, $"{deltas} deltas, {wholes} whole reports, {refused} refused");
    }
}
