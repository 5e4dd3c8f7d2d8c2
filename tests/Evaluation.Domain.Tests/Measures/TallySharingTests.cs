using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Measures;
using Evaluation.Domain.Measures;
using Xunit;

namespace Evaluation.Domain.Tests.Measures;

/// <summary>
/// An institution hands its tallies out without copying them (<see cref="TallySharing"/>): what it handed out must
/// never change afterwards, whatever it applies, folds or prunes, and its own aggregate must stay what its events give.
/// </summary>
public sealed class TallySharingTests
{
    private static readonly MeasureSettings Settings = MeasureSettings.Default;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Handed_out_tallies_never_change_and_the_owner_counts_on(int seed)
    {
        var random = new Random(seed);
        var sharing = new TallySharing();
        var unreported = new UnreportedChanges();
        var owner = new AggregateData();

        // The same events and compactions without sharing: what the owner must hold.
        var reference = new AggregateData();
        var history = new List<LoggedEvent>();
        var ratings = new List<LoggedEvent>();
        var handedOut = new List<(Tally Shared, Tally AsHandedOut)>();
        var area = new ReportedTotal<string>();
        var start = new DateOnly(2026, 1, 20);
        for (var today = start; today < start.AddDays(60); today = today.AddDays(1))
        {
            // Some days' events arrive one by one, others in a catch-up that counts them apart and adds them at once.
            var caughtUp = random.Next(4) == 0 ? new AggregateData { FoldedBefore = owner.FoldedBefore } : null;
            for (var n = 0; n < 20; n++)
            {
                // Some events are late, of days already folded into their months.
                var e = random.Next(6) == 0
                    ? Events.Random(random, today.AddDays(-random.Next(Settings.DailyDays, 200)), ratings)
                    : Events.Random(random, today, ratings);
                var logged = e with { Position = history.Count + 1 };
                history.Add(logged);
                Aggregation.Apply(reference, logged);
                if (caughtUp is not null)
                {
                    Aggregation.Apply(caughtUp, logged);
                    continue;
                }

                sharing.BeforeApply(owner, logged);
                Aggregation.Apply(owner, logged);
                unreported.Changed(logged);
            }

            if (caughtUp is not null)
            {
                sharing.BeforeAdd(owner, caughtUp);
                Aggregation.AddInto(owner, caughtUp);
                unreported.Changed(caughtUp);
            }

            if (random.Next(2) == 0)
            {
                sharing.BeforeFold(owner, Settings.FirstDailyDay(today));
                AggregateRetention.Compact(owner, today, Settings, unreported);
                AggregateRetention.Compact(reference, today, Settings, new UnreportedChanges());
            }

            // Whole reports and answers hand every tally out, deltas the changed ones.
            var position = history.Count;
            if (random.Next(3) == 0 || unreported.TakeDelta(owner, position, sharing) is not { } delta)
            {
                var copy = sharing.HandOut(owner);
                handedOut.AddRange(copy.Tallies.Values.Concat(copy.ServiceItems.Values).Concat(copy.Months.Values)
                    .Select(tally => (tally, Aggregation.CloneTally(tally))));
                area.Accept("a", position, copy);
            }
            else
            {
                handedOut.AddRange(delta.Changed.Values.Concat(delta.ChangedItems?.Values ?? []).Concat(delta.ChangedMonths.Values)
                    .Select(tally => (tally, Aggregation.CloneTally(tally))));
                Assert.True(area.Accept("a", delta));
            }

            unreported.Acknowledged(position);
            Assert.All(handedOut, h => Assert.True(Aggregation.SameCounts(h.AsHandedOut, h.Shared)));
            Assert.Empty(Aggregation.Differences(reference, owner));
            Assert.Empty(Aggregation.Differences(owner, area.Total.Value));
        }

        Assert.True(handedOut.Count > 1000);
    }

    [Fact]
    public void A_copy_handed_out_has_dictionaries_of_its_own_and_the_same_tallies()
    {
        var day = new DateOnly(2026, 3, 1);
        var sharing = new TallySharing();
        var owner = Events.Aggregate(Events.Rating(day, 5, item: "PAT-SEARCH"), Events.Rating(day, 1));
        var copy = sharing.HandOut(owner);

        var next = Events.Rating(day, 4, item: "PAT-SEARCH");
        sharing.BeforeApply(owner, next);
        Aggregation.Apply(owner, next);

        var key = Assert.Single(copy.Tallies).Key;
        Assert.Equal([1L, 0, 0, 0, 1], copy.Tallies[key].Levels);
        Assert.Equal([1L, 0, 0, 1, 1], owner.Tallies[key].Levels);
        Assert.NotSame(copy.Tallies[key], owner.Tallies[key]);
        Assert.NotSame(owner.Topics, copy.Topics);
    }

    [Fact]
    public void Nothing_is_copied_before_the_first_hand_out()
    {
        var day = new DateOnly(2026, 3, 1);
        var sharing = new TallySharing();
        var owner = Events.Aggregate(Events.Rating(day, 5));
        var tally = owner.Tallies.Values.Single();

        var next = Events.Rating(day, 4);
        sharing.BeforeApply(owner, next);
        Aggregation.Apply(owner, next);

        Assert.Same(tally, owner.Tallies.Values.Single());
    }
}
