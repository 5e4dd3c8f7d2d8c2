using System.Text.Json;
using System.Text.Json.Nodes;
using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Measures;
using Xunit;

namespace Evaluation.UnitTests.Measures;

/// <summary>
/// Days older than any window are folded into months (<see cref="AggregateRetention"/>). Every measure must come out
/// exactly as it does from the same events kept day by day, on every day of a grain's life, across month and year
/// ends and a leap day, for institutions and for the area that adds up their deltas.
/// </summary>
public sealed class MonthFoldTests
{
    private static readonly MeasureSettings Settings = MeasureSettings.Default;
    private static readonly PeerPrior Prior = new(3.7, 500);
    private static readonly DateTimeOffset AsOf = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Members = ["a", "b"];

    [Fact]
    public void Days_are_kept_one_by_one_for_the_longest_window()
    {
        Assert.True(Settings.DailyDays >= Windows.All.Max(w => w.Days));
    }

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

    [Fact]
    public void An_event_of_a_folded_day_counts_in_its_month()
    {
        var today = new DateOnly(2026, 5, 10);
        var data = Events.Aggregate(Events.Rating(today, 5));
        AggregateRetention.Compact(data, today, Settings, new UnreportedChanges());
        var old = new DateOnly(2026, 1, 31);

        Aggregation.Apply(data, Events.Rating(old, 2));
        Aggregation.Apply(data, Events.Completed(today, 3) with { RatedServiceDay = old });

        var month = Assert.Single(data.Months);
        Assert.Equal(new MonthKey(2026, 1, Channel.Window, IpDomain.Patent), month.Key);
        Assert.Equal([0L, 1, 0, 0, 0], month.Value.Levels);
        Assert.Equal(1, month.Value.RatedServices);
        Assert.DoesNotContain(data.Tallies.Keys, key => key.Day == old);
    }

    [Fact]
    public void A_month_is_pruned_once_it_ends_before_the_retention()
    {
        var today = new DateOnly(2026, 5, 10);
        var firstKept = today.AddDays(-Settings.RetentionDays);
        var data = Events.Aggregate(Events.Rating(firstKept, 4), Events.Rating(firstKept.AddDays(-firstKept.Day), 1));

        AggregateRetention.Compact(data, today, Settings, new UnreportedChanges());

        var month = Assert.Single(data.Months);
        Assert.Equal((firstKept.Year, firstKept.Month), (month.Key.Year, month.Key.Month));
        Assert.Equal([0L, 0, 0, 1, 0], month.Value.Levels);
    }

    private static void AssertSameMeasures(AggregateData expected, AggregateData actual, DateOnly today)
    {
        Assert.Equal(Json(MeasureCalculator.Compute(expected, AsOf, today, Prior, Settings)), Json(MeasureCalculator.Compute(actual, AsOf, today, Prior, Settings)));
        Assert.Equal(
            Json(MeasureCalculator.Breakdowns(expected, AsOf, today, Prior, Settings, code => code)),
            Json(MeasureCalculator.Breakdowns(actual, AsOf, today, Prior, Settings, code => code)));
        Assert.Equal(Json(TopicMeasures.Summarize(expected, today)), Json(TopicMeasures.Summarize(actual, today)));
    }

    /// <summary>The value as JSON with every object's members in name order: a dictionary's order is no measure.</summary>
    internal static string Json<T>(T value) => Sorted(JsonSerializer.SerializeToNode(value))?.ToJsonString() ?? "null";

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Sorted)]),
        _ => node?.DeepClone(),
    };

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
