using Evaluation.Contracts.Measures;
using Evaluation.Domain.Measures;
using Xunit;

namespace Evaluation.Domain.Tests.Measures;

public sealed class PeriodMeasuresTests
{
    private static readonly DateOnly First = new(2026, 10, 1);
    private static readonly DateOnly Last = new(2026, 10, 31);

    [Fact]
    public void A_period_counts_its_own_days_with_the_same_formulas_as_the_windows()
    {
        var data = Events.Aggregate(
            Events.Rating(First.AddDays(-1), 1),
            Events.Rating(First, 5),
            Events.Rating(First.AddDays(10), 4),
            Events.Rating(Last, 2),
            Events.Rating(Last.AddDays(1), 1),
            Events.Completed(First.AddDays(3), 10, onTime: true),
            Events.Completed(Last, 30, onTime: false));
        var prior = new PeerPrior(4.0, 100);

        var period = MeasureCalculator.Period(data, First, Last, prior, MeasureSettings.Default, minSample: 3);

        // None of the three ratings names a service record: none verified (一事一评).
        var expected = MeasureCalculator.Score([0, 1, 0, 1, 1], prior, MeasureSettings.Default, 3) with { Verified = 0, VerifiedShare = 0 };
        Assert.Equal(expected, period.Score, ScoreComparer.Instance);
        Assert.Equal((3L, 1.0 / 3, 2.0 / 3), (period.Score.Count, period.Score.BadRate!.Value, period.Score.GoodRate!.Value));
        Assert.True(period.Score.Ranked);
        Assert.Equal((2L, 0.5), (period.Service.Completed, period.Service.OnTimeRate!.Value));
        Assert.Equal(1, period.Handling.FollowUps);
    }

    /// <summary>Records with arrays compare by reference; a score is the same when every value is.</summary>
    private sealed class ScoreComparer : IEqualityComparer<ScoreView>
    {
        public static readonly ScoreComparer Instance = new();

        public bool Equals(ScoreView? x, ScoreView? y) =>
            x is not null && y is not null && x with { Levels = [], Interval = null } == y with { Levels = [], Interval = null }
            && x.Levels.SequenceEqual(y.Levels) && (x.Interval ?? []).SequenceEqual(y.Interval ?? []);

        public int GetHashCode(ScoreView obj) => obj.Count.GetHashCode();
    }
}
