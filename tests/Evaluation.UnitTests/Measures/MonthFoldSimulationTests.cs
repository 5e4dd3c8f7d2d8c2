using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Measures;
using Evaluation.Domain.Measures;
using Evaluation.Domain.Tests.Measures;
using Xunit;

namespace Evaluation.UnitTests.Measures;

/// <summary>
/// Days older than any window are folded into months (<see cref="AggregateRetention"/>). Every measure must come out
/// exactly as it does from the same events kept day by day, on every day of a grain's life, across month and year
/// ends and a leap day, for institutions and for the area that adds up their deltas. Tens of seconds long, so it is
/// kept out of Evaluation.Domain.Tests, whose tests the mutation run (ops/mutation) repeats for every mutant.
/// </summary>
public sealed class MonthFoldSimulationTests
{
    private static readonly MeasureSettings Settings = MeasureSettings.Default;
    private static readonly PeerPrior Prior = new(3.7, 500);
    private static readonly DateTimeOffset AsOf = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Members = ["a", "b"];

    [Theory]
    [InlineData("2025-11-20", 160)] // folds through the ends of 2025's months and of the year
    [InlineData("2027-12-10", 120)] // through February 2028 (29 days) into March
    [InlineData("2026-06-28", 40)] // a month end that falls on a fold day
    public void Folding_changes_no_measure_on_any_day(string firstDay, int days)
    {
        var start = DateOnly.Parse(firstDay, System.Globalization.CultureInfo.InvariantCulture);
        var random = new Random(start.DayNumber);
        var life = Members.ToDictionary(m => m, _ => new Member());
        var ratings = new List<LoggedEvent>();
        var area = new ReportedTotal<string>();
        for (var today = start; today < start.AddDays(days); today = today.AddDays(1))
        {
            for (var n = 0; n < 25; n++)
            {
                // Most events are of the last two weeks; some are late, of days already folded (up to the 366 days ingestion accepts).
                var e = random.Next(5) == 0
                    ? Events.Random(random, today.AddDays(-random.Next(Settings.DailyDays, 352)), ratings)
                    : Events.Random(random, today, ratings);
                life[Members[random.Next(Members.Length)]].Apply(e);
            }

            foreach (var (id, member) in life)
            {
                // A grain compacts when it saves, which a quiet one may skip for a day or two.
                if (random.Next(3) > 0)
                {
                    member.Compact(today);
                }

                member.ReportTo(area, id);
            }

            foreach (var member in life.Values)
            {
                AssertSameMeasures(member.Reference, member.Folded, today);
            }

            AssertSameMeasures(Aggregation.Sum(life.Values.Select(m => m.Reference)), area.Total.Value, today);
        }

        // Folded day by day with late events in between, each member holds what folding its whole history at once gives.
        var last = start.AddDays(days - 1);
        foreach (var (id, member) in life)
        {
            member.Compact(last);
            member.ReportTo(area, id);
            var atOnce = Events.Aggregate([.. member.History]);
            AggregateRetention.Compact(atOnce, last, Settings, new UnreportedChanges());
            Assert.Empty(Aggregation.Differences(atOnce, member.Folded));
            Assert.NotEmpty(member.Folded.Months);
            Assert.All(member.Folded.Tallies.Keys, key => Assert.True(key.Day >= Settings.FirstDailyDay(last)));
        }

        Assert.Empty(Aggregation.Differences(Aggregation.Sum(life.Values.Select(m => m.Folded)), area.Total.Value));
    }

    private static void AssertSameMeasures(AggregateData expected, AggregateData actual, DateOnly today)
    {
        Assert.Equal(MeasureJson.Of(MeasureCalculator.Compute(expected, AsOf, today, Prior, Settings)), MeasureJson.Of(MeasureCalculator.Compute(actual, AsOf, today, Prior, Settings)));
        Assert.Equal(
            MeasureJson.Of(MeasureCalculator.Breakdowns(expected, AsOf, today, Prior, Settings, code => code)),
            MeasureJson.Of(MeasureCalculator.Breakdowns(actual, AsOf, today, Prior, Settings, code => code)));
        Assert.Equal(MeasureJson.Of(TopicMeasures.Summarize(expected, today)), MeasureJson.Of(TopicMeasures.Summarize(actual, today)));
    }

    /// <summary>
    /// One institution twice: as its grain keeps it (compacted, reporting deltas) and as it was kept before months,
    /// every day of the retention one by one.
    /// </summary>
    private sealed class Member
    {
        private readonly UnreportedChanges unreported = new();
        private long position;

        public AggregateData Folded { get; } = new();

        public AggregateData Reference { get; } = new();

        public List<LoggedEvent> History { get; } = [];

        public void Apply(LoggedEvent e)
        {
            var logged = e with { Position = ++position };
            History.Add(logged);
            Aggregation.Apply(Folded, logged);
            unreported.Changed(logged);
            Aggregation.Apply(Reference, logged);
        }

        public void Compact(DateOnly today)
        {
            AggregateRetention.Compact(Folded, today, Settings, unreported);
            Aggregation.PruneBefore(Reference, today.AddDays(-Settings.RetentionDays));
            Aggregation.PruneServiceItemsBefore(Reference, Settings.FirstRetainedServiceItemDay(today));
            TopicTally.PruneBefore(Reference, today.AddDays(-Settings.RetentionDays));
        }

        public void ReportTo(ReportedTotal<string> area, string id)
        {
            if (unreported.TakeDelta(Folded, position) is { } delta)
            {
                Assert.True(area.Accept(id, delta));
            }
            else
            {
                Assert.True(area.Accept(id, position, Aggregation.Clone(Folded)));
            }

            unreported.Acknowledged(position);
        }
    }
}
