using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Measures;
using Xunit;

namespace Evaluation.Domain.Tests.Measures;

public sealed class AggregationTests
{
    private static readonly DateOnly Day = new(2026, 3, 10);

    [Fact]
    public void Evaluation_counts_its_level_in_the_tally_of_its_day_channel_and_domain()
    {
        var data = new AggregateData();

        Aggregation.Apply(data, Events.Rating(Day, 2, Channel.Online, IpDomain.Trademark));
        Aggregation.Apply(data, Events.Rating(Day, 2, Channel.Online, IpDomain.Trademark));
        Aggregation.Apply(data, Events.Rating(Day, 5, Channel.Hotline, IpDomain.Trademark));

        Assert.Equal([0L, 2, 0, 0, 0], data.Tallies[new TallyKey(Day, Channel.Online, IpDomain.Trademark)].Levels);
        Assert.Equal([0L, 0, 0, 0, 1], data.Tallies[new TallyKey(Day, Channel.Hotline, IpDomain.Trademark)].Levels);
        Assert.Equal(2, data.Tallies.Count);
    }

    [Fact]
    public void An_exclusion_takes_back_exactly_the_rating_it_names()
    {
        var data = new AggregateData();
        Aggregation.Apply(data, Events.Rating(Day, 1, Channel.Online));
        Aggregation.Apply(data, Events.Rating(Day, 1, Channel.Online));
        Aggregation.Apply(data, Events.Rating(Day, 4, Channel.Online));

        Aggregation.Apply(data, Events.Rating(Day, 1, Channel.Online) with { Kind = LoggedEventKind.EvaluationExcluded });

        Assert.Equal([1L, 0, 0, 1, 0], data.Tallies[new TallyKey(Day, Channel.Online, IpDomain.Patent)].Levels);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    public void Level_outside_one_to_five_is_refused(int level) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Aggregation.Apply(new AggregateData(), Events.Rating(Day, level)));

    [Fact]
    public void Completion_leaves_the_backlog_only_if_it_was_opened()
    {
        var data = new AggregateData();

        Aggregation.Apply(data, Events.Opened(Day));
        Aggregation.Apply(data, Events.Opened(Day));
        Aggregation.Apply(data, Events.Completed(Day, 3, hadOpen: true));
        Aggregation.Apply(data, Events.Completed(Day, 5, hadOpen: false));

        // Two opened, one of them completed; the record sent already completed never was open.
        Assert.Equal(1, data.Backlog);
        var tally = data.Tallies[new TallyKey(Day, Channel.Window, IpDomain.Patent)];
        Assert.Equal(2, tally.Opened);
        Assert.Equal(2, tally.Completed);
    }

    [Fact]
    public void Completion_counts_on_time_hours_and_histogram()
    {
        var data = new AggregateData();

        Aggregation.Apply(data, Events.Completed(Day, 0.5, onTime: true));
        Aggregation.Apply(data, Events.Completed(Day, 1.0, onTime: false));

        var tally = data.Tallies[new TallyKey(Day, Channel.Window, IpDomain.Patent)];
        Assert.Equal(2, tally.Completed);
        Assert.Equal(1, tally.CompletedOnTime);
        Assert.Equal(1.5, tally.HandlingHoursSum);
        Assert.NotNull(tally.HandlingHistogram);

        // 0.5 h = 0.25·2^(3/3) starts bucket 4; 1 h = 0.25·2^(6/3) starts bucket 7.
        Assert.Equal(1, tally.HandlingHistogram[4]);
        Assert.Equal(1, tally.HandlingHistogram[7]);
        Assert.Equal(2, tally.HandlingHistogram.Sum());
    }

    [Fact]
    public void Applying_to_parts_then_summing_equals_applying_everything_to_one()
    {
        var events = SampleEvents();
        var whole = new AggregateData();
        var first = new AggregateData();
        var second = new AggregateData();
        for (var i = 0; i < events.Count; i++)
        {
            Aggregation.Apply(whole, events[i]);
            Aggregation.Apply(i % 3 == 0 ? first : second, events[i]);
        }

        var sum = Aggregation.Sum([first, second]);

        Assert.Empty(Aggregation.Differences(whole, sum));
        Assert.True(Aggregation.Equal(whole, sum));
        Assert.False(Aggregation.Equal(whole, first));
    }

    [Fact]
    public void AddInto_accumulates_into_the_target()
    {
        var target = new AggregateData();
        Aggregation.Apply(target, Events.Rating(Day, 4));
        Aggregation.Apply(target, Events.Opened(Day));
        var source = new AggregateData();
        Aggregation.Apply(source, Events.Rating(Day, 4));
        Aggregation.Apply(source, Events.Rating(Day.AddDays(-1), 1));

        Aggregation.AddInto(target, source);

        Assert.Equal([0L, 0, 0, 2, 0], target.Tallies[new TallyKey(Day, Channel.Window, IpDomain.Patent)].Levels);
        Assert.Equal([1L, 0, 0, 0, 0], target.Tallies[new TallyKey(Day.AddDays(-1), Channel.Window, IpDomain.Patent)].Levels);
        Assert.Equal(1, target.Backlog);
    }

    [Fact]
    public void Clone_is_deep()
    {
        var original = new AggregateData();
        foreach (var e in SampleEvents())
        {
            Aggregation.Apply(original, e);
        }

        var clone = Aggregation.Clone(original);
        Assert.True(Aggregation.Equal(original, clone));

        var key = new TallyKey(Day, Channel.Window, IpDomain.Patent);
        clone.Tallies[key].Levels[0] += 7;
        clone.Tallies[key].HandlingHistogram![4] += 7;
        clone.Backlog += 7;

        var differences = Aggregation.Differences(original, clone);
        Assert.Equal(3, differences.Count);
        Assert.NotSame(original.Tallies[key], clone.Tallies[key]);
    }

    [Fact]
    public void PruneBefore_drops_older_days_and_keeps_the_first_kept_day()
    {
        var data = new AggregateData();
        Aggregation.Apply(data, Events.Rating(Day.AddDays(-2), 3));
        Aggregation.Apply(data, Events.Rating(Day.AddDays(-1), 3));
        Aggregation.Apply(data, Events.Rating(Day, 3));
        Aggregation.Apply(data, Events.Opened(Day.AddDays(-2)));

        var dropped = Aggregation.PruneBefore(data, Day.AddDays(-1));

        Assert.Equal([new TallyKey(Day.AddDays(-2), Channel.Window, IpDomain.Patent)], dropped);
        Assert.Equal([Day.AddDays(-1), Day], data.Tallies.Keys.Select(k => k.Day).Order());
        Assert.Equal(1, data.Backlog);
    }

    [Fact]
    public void Retention_keeps_exactly_the_configured_number_of_days()
    {
        var settings = new MeasureSettings(RetentionDays: 3);

        Assert.Equal(new DateOnly(2026, 3, 8), settings.FirstRetainedDay(Day));
    }

    [Fact]
    public void Differences_name_the_tally_and_field()
    {
        var expected = new AggregateData();
        Aggregation.Apply(expected, Events.Rating(Day, 5, Channel.Online, IpDomain.IcLayout));
        var actual = new AggregateData { Backlog = 2 };

        var differences = Aggregation.Differences(expected, actual);

        Assert.Equal(
            ["Backlog: expected 0, actual 2", "2026-03-10/Online/IcLayout Levels[4]: expected 1, actual 0"],
            differences);
    }

    [Fact]
    public void A_missing_tally_equals_an_empty_one()
    {
        var withEmpty = new AggregateData();
        withEmpty.Tallies[new TallyKey(Day, Channel.Window, IpDomain.Patent)] =
            new Tally { HandlingHistogram = new long[HandlingHistogram.BucketCount] };

        Assert.True(Aggregation.Equal(new AggregateData(), withEmpty));
    }

    [Fact]
    public void Handling_hours_summed_in_another_order_still_compare_equal()
    {
        var a = new AggregateData();
        var b = new AggregateData();
        double[] hours = [0.1, 0.2, 0.3, 1e-3, 7.7];
        foreach (var h in hours)
        {
            Aggregation.Apply(a, Events.Completed(Day, h));
        }

        foreach (var h in hours.Reverse())
        {
            Aggregation.Apply(b, Events.Completed(Day, h));
        }

        Assert.True(Aggregation.Equal(a, b));
    }

    private static List<LoggedEvent> SampleEvents() =>
    [
        Events.Rating(Day, 1),
        Events.Rating(Day, 5),
        Events.Rating(Day, 4, Channel.Online, IpDomain.Trademark),
        Events.Rating(Day.AddDays(-3), 2, Channel.Hotline),
        Events.Opened(Day),
        Events.Opened(Day),
        Events.Opened(Day.AddDays(-3)),
        Events.Completed(Day, 0.5),
        Events.Completed(Day, 30, onTime: false),
        Events.Completed(Day.AddDays(-3), 2, hadOpen: false),
        Events.Rating(Day, 3),
    ];

    [Fact]
    public void A_source_exclusion_undoes_a_verified_rating_without_counting_an_upheld_appeal()
    {
        var rating = Events.Rating(Day, 1) with { Verified = true, RatedServiceDay = Day.AddDays(-1) };
        var data = Events.Aggregate(rating, rating with { Kind = LoggedEventKind.EvaluationSourceExcluded, RatedServiceDay = null });

        var tally = data.Tallies[Aggregation.KeyOf(rating)];
        Assert.Equal(0, tally.Levels.Sum());
        Assert.Equal(0, tally.Verified);
        Assert.Equal(0, tally.FollowUps!.Upheld);
        Assert.Equal(1, tally.FollowUps.Opened);

        // The service stays rated: the rating named it, whatever became of the rating.
        Assert.Equal(1, data.Tallies[Aggregation.KeyOf(rating with { Day = Day.AddDays(-1) })].RatedServices);
    }

    [Fact]
    public void Only_an_aggregate_with_nothing_counted_is_blank()
    {
        var rating = Events.Rating(Day, 1, Channel.Online, IpDomain.Patent, "TM-REG") with { Topics = ["waiting"] };
        var counted = Events.Aggregate(rating);

        Assert.True(Aggregation.IsBlank(new AggregateData { FoldedBefore = Day }));
        Assert.False(Aggregation.IsBlank(counted));
        Assert.False(Aggregation.IsBlank(new AggregateData { Tallies = counted.Tallies }));
        Assert.False(Aggregation.IsBlank(new AggregateData { ServiceItems = counted.ServiceItems }));
        Assert.False(Aggregation.IsBlank(new AggregateData { Topics = counted.Topics }));
        Assert.False(Aggregation.IsBlank(new AggregateData { Months = new() { [MonthKey.Of(Aggregation.KeyOf(rating))] = new Tally() } }));
        Assert.False(Aggregation.IsBlank(new AggregateData { Backlog = -1 }));
    }

    /// <summary>Why a replay may keep what it read as the aggregate instead of adding it into a blank one.</summary>
    [Fact]
    public void Adding_into_a_blank_aggregate_gives_exactly_the_added_one_in_its_order()
    {
        var random = new Random(11);
        var ratings = new List<LoggedEvent>();
        var read = Events.Aggregate([.. Enumerable.Range(0, 2000).Select(_ => Events.Random(random, Day, ratings))]);
        var blank = new AggregateData();

        Aggregation.AddInto(blank, read);

        AssertSameTallies(read.Tallies, blank.Tallies);
        AssertSameTallies(read.ServiceItems, blank.ServiceItems);
        AssertSameTallies(read.Months, blank.Months);
        Assert.Equal(read.Topics, blank.Topics);
        Assert.Equal(read.Backlog, blank.Backlog);
    }

    private static void AssertSameTallies<TKey>(Dictionary<TKey, Tally> expected, Dictionary<TKey, Tally> actual)
        where TKey : notnull
    {
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (key, tally) in expected)
        {
            Assert.True(Aggregation.SameCounts(tally, actual[key]), $"{key} differs");
            Assert.Equal(tally.HandlingHistogram?.Length, actual[key].HandlingHistogram?.Length);
        }
    }
}
