using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Measures;
using Xunit;

namespace Evaluation.Domain.Tests.Measures;

/// <summary>
/// A member's side of the report protocol on its own: what it has to tell its area, and when only its whole
/// aggregate will do (nothing acknowledged yet, or a report whose fate is unknown).
/// </summary>
public sealed class UnreportedChangesTests
{
    private static readonly DateOnly Day = new(2026, 3, 10);

    private static readonly TallyKey Key = new(Day, Channel.Window, IpDomain.Patent);

    [Fact]
    public void Until_a_report_is_acknowledged_only_a_whole_aggregate_will_do()
    {
        var changes = new UnreportedChanges();
        var member = Events.Aggregate(Events.Rating(Day, 5));

        Assert.True(changes.Pending);
        Assert.Null(changes.TakeDelta(member, 1));

        changes.Acknowledged(1);
        Assert.False(changes.Pending);
    }

    [Fact]
    public void A_delta_follows_on_from_the_acknowledged_report_with_copies_of_the_changed_tallies()
    {
        var changes = new UnreportedChanges();
        var member = Events.Aggregate(Events.Rating(Day, 5), Events.Opened(Day));
        changes.Acknowledged(2);

        var rating = Events.Rating(Day, 2, item: "PAT-SEARCH") with { Position = 3, Topics = ["waiting"] };
        Aggregation.Apply(member, rating);
        changes.Changed(rating);
        Assert.True(changes.Pending);

        var delta = changes.TakeDelta(member, 3)!;
        Assert.Equal((2L, 3L, member.Backlog), (delta.FromPosition, delta.ToPosition, delta.Backlog));
        Assert.Equal([Key], delta.Changed.Keys);
        Assert.Equal([0L, 1, 0, 0, 1], delta.Changed[Key].Levels);
        Assert.Equal([new ServiceItemKey(Day, "PAT-SEARCH")], delta.ChangedItems!.Keys);
        Assert.Equal(
            new Dictionary<TopicKey, long> { [new(Day, "waiting")] = 1, [new(Day, TopicTally.Read)] = 1 },
            delta.Topics);
        Assert.Empty(delta.Removed);
        Assert.Empty(delta.RemovedItems!);

        // The member goes on counting into its own tallies; the delta it sent keeps the values it was taken with.
        Aggregation.Apply(member, Events.Rating(Day, 1));
        Assert.Equal([0L, 1, 0, 0, 1], delta.Changed[Key].Levels);

        // What was taken is no longer pending; the acknowledgement of the next report need not repeat it.
        Assert.False(changes.Pending);
        var next = changes.TakeDelta(member, 4)!;
        Assert.Empty(next.Changed);
        Assert.Empty(next.Topics);
    }

    [Fact]
    public void Pruned_tallies_are_reported_as_removed_and_pruned_topics_as_zero()
    {
        var changes = new UnreportedChanges();
        var old = Day.AddDays(-30);
        var member = Events.Aggregate(
            Events.Rating(old, 1, item: "TM-REG") with { Topics = ["attitude"] },
            Events.Rating(Day, 5, item: "TM-REG"));
        changes.Acknowledged(2);

        changes.Changed(Aggregation.PruneBefore(member, Day));
        changes.Changed(Aggregation.PruneServiceItemsBefore(member, Day));
        changes.TopicsChanged(TopicTally.PruneBefore(member, Day));
        Assert.True(changes.Pending);

        var delta = changes.TakeDelta(member, 2)!;
        Assert.Equal([Key with { Day = old }], delta.Removed);
        Assert.Empty(delta.Changed);
        Assert.Equal([new ServiceItemKey(old, "TM-REG")], delta.RemovedItems);
        Assert.Equal(
            new Dictionary<TopicKey, long> { [new(old, "attitude")] = 0, [new(old, TopicTally.Read)] = 0 },
            delta.Topics);
    }

    [Fact]
    public void A_delta_not_taken_is_pending_again_with_every_kind_of_key()
    {
        var changes = new UnreportedChanges();
        var member = Events.Aggregate(Events.Rating(Day.AddDays(-1), 2, item: "TM-REG") with { Topics = ["fees"] });
        changes.Acknowledged(1);
        var rating = Events.Rating(Day, 2, item: "PAT-SEARCH") with { Position = 2, Topics = ["waiting"] };
        Aggregation.Apply(member, rating);
        changes.Changed(rating);
        changes.Changed(Aggregation.PruneBefore(member, Day));
        changes.Changed(Aggregation.PruneServiceItemsBefore(member, Day));
        changes.TopicsChanged(TopicTally.PruneBefore(member, Day));
        var refused = changes.TakeDelta(member, 2)!;
        Assert.False(changes.Pending);

        changes.NotTaken(refused);

        Assert.True(changes.Pending);
        var again = changes.TakeDelta(member, 2)!;
        Assert.Equal(refused.Changed.Keys.ToHashSet(), again.Changed.Keys.ToHashSet());
        Assert.Equal(refused.Removed.ToHashSet(), again.Removed.ToHashSet());
        Assert.Equal(refused.ChangedItems!.Keys.ToHashSet(), again.ChangedItems!.Keys.ToHashSet());
        Assert.Equal(refused.RemovedItems!.ToHashSet(), again.RemovedItems!.ToHashSet());
        Assert.Equal(refused.Topics.Keys.ToHashSet(), again.Topics.Keys.ToHashSet());
        Assert.All([refused.Changed.Count, refused.Removed.Count, refused.ChangedItems!.Count, refused.RemovedItems!.Count, refused.Topics.Count], n => Assert.NotEqual(0, n));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void After_a_failed_report_or_a_new_area_the_next_report_is_a_whole_one(bool failed)
    {
        var changes = new UnreportedChanges();
        var member = Events.Aggregate(Events.Rating(Day, 5));
        changes.Acknowledged(1);
        Assert.False(changes.Pending);

        if (failed)
        {
            changes.Failed();
        }
        else
        {
            changes.Forget();
        }

        Assert.True(changes.Pending);
        Assert.Null(changes.TakeDelta(member, 1));
    }

    [Fact]
    public void Each_kind_of_change_alone_makes_a_report_pending()
    {
        void Check(Action<UnreportedChanges> change)
        {
            var changes = new UnreportedChanges();
            changes.Acknowledged(1);
            change(changes);
            Assert.True(changes.Pending);
        }

        Check(c => c.Changed([Key]));
        Check(c => c.Changed([new ServiceItemKey(Day, "TM-REG")]));
        Check(c => c.TopicsChanged([new TopicKey(Day, "fees")]));
    }
    [Fact]
    public void Events_counted_apart_and_added_at_once_change_what_applying_them_one_by_one_changes()
    {
        // A replay from the log counts its events into an aggregate of their own and adds that (InstitutionGrain); the
        // member and the delta it reports must be what applying the same events one at a time gives, late events of
        // folded days and exclusions included.
        var random = new Random(16);
        var settings = MeasureSettings.Default;
        var ratings = new List<LoggedEvent>();
        var before = Enumerable.Range(0, 200).Select(_ => Events.Random(random, Day, ratings)).ToArray();
        var replayed = Enumerable.Range(0, 400)
            .Select(_ => random.Next(4) == 0
                ? Events.Random(random, Day.AddDays(-random.Next(settings.DailyDays, 352)), ratings)
                : Events.Random(random, Day, ratings))
            .ToArray();

        (AggregateData Member, AggregateDelta Delta) Replay(Action<AggregateData, UnreportedChanges> apply)
        {
            var member = Events.Aggregate(before);
            var changes = new UnreportedChanges();
            AggregateRetention.Compact(member, Day, settings, changes);
            changes.Acknowledged(before.Length);
            _ = changes.TakeDelta(member, before.Length);
            apply(member, changes);
            return (member, changes.TakeDelta(member, before.Length + replayed.Length)!);
        }

        var oneByOne = Replay((member, changes) =>
        {
            foreach (var e in replayed)
            {
                Aggregation.Apply(member, e);
                changes.Changed(e);
            }
        });
        var atOnce = Replay((member, changes) =>
        {
            var read = new AggregateData { FoldedBefore = member.FoldedBefore };
            foreach (var e in replayed.Reverse())
            {
                Aggregation.Apply(read, e);
            }

            Aggregation.AddInto(member, read);
            changes.Changed(read);
        });

        Assert.True(oneByOne.Member.FoldedBefore > DateOnly.MinValue);
        Assert.NotEmpty(oneByOne.Delta.ChangedMonths);
        Assert.Empty(Aggregation.Differences(oneByOne.Member, atOnce.Member));
        Assert.Equal(Keys(oneByOne.Delta.Changed), Keys(atOnce.Delta.Changed));
        Assert.Equal(Keys(oneByOne.Delta.ChangedItems!), Keys(atOnce.Delta.ChangedItems!));
        Assert.Equal(Keys(oneByOne.Delta.ChangedMonths), Keys(atOnce.Delta.ChangedMonths));

        // A topic whose count the replayed events leave as it was (a 差评 and its exclusion) is not reported again.
        var unchanged = Replay((_, _) => { }).Member.Topics;
        Assert.All(atOnce.Delta.Topics, topic => Assert.Equal(oneByOne.Delta.Topics[topic.Key], topic.Value));
        Assert.All(oneByOne.Delta.Topics.Where(topic => !atOnce.Delta.Topics.ContainsKey(topic.Key)),
            topic => Assert.Equal(unchanged.GetValueOrDefault(topic.Key), topic.Value));
        Assert.Empty(Aggregation.Differences(Reported(oneByOne.Delta), Reported(atOnce.Delta)));
    }

    /// <summary>The tallies a delta carries, as an aggregate, to compare their values.</summary>
    private static AggregateData Reported(AggregateDelta delta) => new()
    {
        Tallies = new(delta.Changed),
        ServiceItems = new(delta.ChangedItems!),
        Months = new(delta.ChangedMonths),
    };

    private static List<string> Keys<TKey>(IReadOnlyDictionary<TKey, Tally> tallies)
        where TKey : notnull =>
        tallies.Keys.Select(key => key.ToString()!).Order(StringComparer.Ordinal).ToList();
}
