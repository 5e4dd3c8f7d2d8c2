using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Measures;
using Xunit;

namespace Evaluation.Domain.Tests.Measures;

public sealed class MeasureCalculatorTests
{
    private static readonly DateOnly Today = new(2026, 3, 10);
    private static readonly DateTimeOffset AsOf = new(2026, 3, 10, 15, 0, 0, TimeSpan.FromHours(8));
    private static readonly MeasureSettings Settings = MeasureSettings.Default;

    // One level 1, one level 2, two level 3, three level 4, three level 5: n = 10, level sum 36, mean 3.6.
    private static readonly long[] Sample = [1, 1, 2, 3, 3];

    [Fact]
    public void Rates_and_satisfaction_follow_the_definitions()
    {
        var score = MeasureCalculator.Score(Sample, null, Settings, 5);

        Assert.Equal(10, score.Count);
        Assert.Equal(Sample, score.Levels);
        Assert.Equal(0.6, score.GoodRate!.Value, 12); // (3 + 3) / 10
        Assert.Equal(0.2, score.BadRate!.Value, 12); // (1 + 1) / 10
        Assert.Equal(65, score.Satisfaction!.Value, 9); // (3.6 − 1) × 25
    }

    [Fact]
    public void Without_a_prior_the_smoothed_score_shrinks_toward_the_neutral_level()
    {
        var score = MeasureCalculator.Score(Sample, null, Settings, 5);

        // (36 + 10 × 3) / (10 + 10) = 3.3 → (3.3 − 1) × 25
        Assert.Equal(57.5, score.SmoothedScore!.Value, 9);
    }

    [Fact]
    public void The_smoothed_score_shrinks_toward_the_peer_prior()
    {
        var score = MeasureCalculator.Score(Sample, new PeerPrior(4.2, 1000), Settings, 5);

        // (36 + 10 × 4.2) / 20 = 3.9 → 72.5
        Assert.Equal(72.5, score.SmoothedScore!.Value, 9);
    }

    [Fact]
    public void A_prior_without_ratings_counts_as_neutral()
    {
        var score = MeasureCalculator.Score(Sample, new PeerPrior(4.8, 0), Settings, 5);

        Assert.Equal(57.5, score.SmoothedScore!.Value, 9);
    }

    [Fact]
    public void Small_samples_stay_near_the_prior_and_large_ones_near_their_own_mean()
    {
        var prior = new PeerPrior(4.0, 500);

        var small = MeasureCalculator.Score([0, 0, 0, 0, 2], prior, Settings, 5);
        var large = MeasureCalculator.Score([0, 0, 0, 0, 1000], prior, Settings, 5);

        // (2·5 + 10·4) / 12 = 4.1667 → 79.17; (1000·5 + 10·4) / 1010 = 4.9901 → 99.75
        Assert.Equal(100, small.Satisfaction!.Value, 9);
        Assert.Equal(79.1667, small.SmoothedScore!.Value, 3);
        Assert.Equal(99.7525, large.SmoothedScore!.Value, 3);
    }

    [Fact]
    public void Interval_uses_student_t_on_the_sample_variance()
    {
        var score = MeasureCalculator.Score(Sample, null, Settings, 5);

        // Squared deviations from 3.6: 6.76 + 2.56 + 2·0.36 + 3·0.16 + 3·1.96 = 16.4; s² = 16.4 / 9.
        // Half-width t(9) · √(s² / 10) = 2.262 · 0.426875 = 0.965591 levels = 24.1398 points.
        Assert.NotNull(score.Interval);
        Assert.Equal(40.8602, score.Interval[0], 3);
        Assert.Equal(89.1398, score.Interval[1], 3);
    }

    [Fact]
    public void Interval_contains_the_mean_and_narrows_as_the_sample_grows()
    {
        double previousWidth = 101;
        foreach (var factor in new[] { 1, 4, 16, 64 })
        {
            var score = MeasureCalculator.Score(Sample.Select(n => n * factor).ToArray(), null, Settings, 5);
            var interval = score.Interval!;

            Assert.InRange(65, interval[0], interval[1]);
            var width = interval[1] - interval[0];
            Assert.True(width < previousWidth, $"width {width} at ×{factor} not below {previousWidth}");
            previousWidth = width;
        }
    }

    [Fact]
    public void Unanimous_ratings_still_get_an_interval_clamped_to_the_scale()
    {
        var score = MeasureCalculator.Score([0, 0, 0, 0, 20], null, Settings, 5);

        // Variance floored at 0.25: t(19) · √(0.25 / 20) = 2.093 · 0.111803 = 0.234004 levels = 5.8501 points.
        Assert.Equal(94.1499, score.Interval![0], 3);
        Assert.Equal(100, score.Interval[1]);
    }

    [Fact]
    public void A_single_rating_has_the_whole_scale_as_interval()
    {
        var score = MeasureCalculator.Score([0, 0, 1, 0, 0], null, Settings, 1);

        Assert.Equal([0.0, 100.0], score.Interval!);
    }

    [Fact]
    public void Large_samples_use_the_normal_limit()
    {
        // 500 ratings split evenly between levels 4 and 5: mean 4.5, s² = 500·0.25/499.
        var score = MeasureCalculator.Score([0, 0, 0, 250, 250], null, Settings, 5);

        // t(499) ≈ 1.96477; half-width 1.96477 · √(0.250501 / 500) = 0.043978 levels = 1.09945 points around 87.5.
        Assert.Equal(86.4006, score.Interval![0], 2);
        Assert.Equal(88.5994, score.Interval[1], 2);
    }

    [Fact]
    public void No_ratings_means_no_rates_and_not_ranked()
    {
        var score = MeasureCalculator.Score(new long[5], new PeerPrior(4, 100), Settings, 0);

        Assert.Equal(0, score.Count);
        Assert.Null(score.GoodRate);
        Assert.Null(score.BadRate);
        Assert.Null(score.Satisfaction);
        Assert.Null(score.SmoothedScore);
        Assert.Null(score.Interval);
        Assert.False(score.Ranked);
    }

    [Fact]
    public void Below_the_window_minimum_sample_a_score_is_not_ranked()
    {
        var data = new AggregateData();
        for (var i = 0; i < 19; i++)
        {
            Aggregation.Apply(data, Events.Rating(Today.AddDays(-10), 4));
        }

        Assert.False(Compute(data).Scores[Windows.Days30].Ranked);

        Aggregation.Apply(data, Events.Rating(Today.AddDays(-10), 4));

        Assert.True(Compute(data).Scores[Windows.Days30].Ranked);
        Assert.False(Compute(data).Scores[Windows.Days90].Ranked); // d90 needs 30
    }

    [Fact]
    public void Windows_are_the_last_n_days_ending_today()
    {
        var data = new AggregateData();
        Aggregation.Apply(data, Events.Rating(Today, 5));
        Aggregation.Apply(data, Events.Rating(Today.AddDays(-6), 4));
        Aggregation.Apply(data, Events.Rating(Today.AddDays(-7), 3));
        Aggregation.Apply(data, Events.Rating(Today.AddDays(-29), 2));
        Aggregation.Apply(data, Events.Rating(Today.AddDays(-30), 1));
        Aggregation.Apply(data, Events.Rating(Today.AddDays(-89), 1));
        Aggregation.Apply(data, Events.Rating(Today.AddDays(-90), 1));
        Aggregation.Apply(data, Events.Rating(Today.AddDays(1), 1));

        var scores = Compute(data).Scores;

        Assert.Equal([0L, 0, 0, 0, 1], scores[Windows.Today].Levels);
        Assert.Equal([0L, 0, 0, 1, 1], scores[Windows.Days7].Levels);
        Assert.Equal([0L, 1, 1, 1, 1], scores[Windows.Days30].Levels);
        Assert.Equal([2L, 1, 1, 1, 1], scores[Windows.Days90].Levels);
    }

    [Fact]
    public void Service_measures_of_a_window()
    {
        var data = new AggregateData();
        Aggregation.Apply(data, Events.Opened(Today.AddDays(-40)));
        Aggregation.Apply(data, Events.Opened(Today.AddDays(-2)));
        Aggregation.Apply(data, Events.Opened(Today));
        Aggregation.Apply(data, Events.Completed(Today.AddDays(-2), 4, onTime: true));
        Aggregation.Apply(data, Events.Completed(Today.AddDays(-1), 4, onTime: true));
        Aggregation.Apply(data, Events.Completed(Today, 4, onTime: false, hadOpen: false));
        Aggregation.Apply(data, Events.Completed(Today.AddDays(-10), 4, onTime: true, hadOpen: false));
        // 一事一评: one rating names today's completion, one the completion of 10 days ago, one names none.
        Aggregation.Apply(data, Events.Rating(Today, 5) with { Verified = true, RatedServiceDay = Today });
        Aggregation.Apply(data, Events.Rating(Today.AddDays(-3), 2) with { Verified = true, RatedServiceDay = Today.AddDays(-10) });
        Aggregation.Apply(data, Events.Rating(Today.AddDays(-3), 2));

        var measures = Compute(data);
        var week = measures.Service[Windows.Days7];

        // Opened 3, completed 2 of them; the other two completions were never open.
        Assert.Equal(1, week.Backlog);
        Assert.Equal(1, measures.Service[Windows.Days90].Backlog);
        Assert.Equal(3, week.Completed);
        Assert.Equal(2, week.Opened);
        Assert.Equal(2.0 / 3, week.OnTimeRate!.Value, 12);
        Assert.Equal(1.0 / 3, week.EvaluationRate!.Value, 12); // of the 3 completions of the week, today's was rated
        Assert.Equal(2, measures.Scores[Windows.Days7].Verified);
        Assert.Equal(2.0 / 3, measures.Scores[Windows.Days7].VerifiedShare!.Value, 12);
        Assert.Equal(3.0 / 7, week.ThroughputPerDay, 12);
        Assert.InRange(week.HandlingP50Hours!.Value, 4 / 1.26, 4 * 1.26);
        Assert.InRange(week.HandlingP90Hours!.Value, 4 / 1.26, 4 * 1.26);

        var today = measures.Service[Windows.Today];
        Assert.Equal(1, today.Completed);
        Assert.Equal(0.0, today.OnTimeRate!.Value);
        Assert.Equal(1.0, today.ThroughputPerDay);

        Assert.Equal(4, measures.Service[Windows.Days30].Completed);
        Assert.Equal(4.0 / 30, measures.Service[Windows.Days30].ThroughputPerDay, 12);
        Assert.Equal(0.5, measures.Service[Windows.Days30].EvaluationRate!.Value, 12);
    }

    [Fact]
    public void Without_completions_rates_of_service_are_null()
    {
        var data = new AggregateData();
        Aggregation.Apply(data, Events.Rating(Today, 4));

        var service = Compute(data).Service[Windows.Days30];

        Assert.Equal(0, service.Completed);
        Assert.Null(service.OnTimeRate);
        Assert.Null(service.EvaluationRate);
        Assert.Null(service.HandlingP50Hours);
        Assert.Equal(0, service.ThroughputPerDay);
    }

    [Fact]
    public void Percentiles_follow_the_handling_times_of_the_window()
    {
        var data = new AggregateData();
        for (var hours = 1; hours <= 100; hours++)
        {
            // Spread over two days and two channels, so the window sums several histograms.
            Aggregation.Apply(data, Events.Completed(
                Today.AddDays(-(hours % 2)), hours, channel: hours % 3 == 0 ? Channel.Online : Channel.Window));
        }

        var service = Compute(data).Service[Windows.Days7];

        Assert.InRange(service.HandlingP50Hours!.Value, 50.5 / 1.26, 50.5 * 1.26);
        Assert.InRange(service.HandlingP90Hours!.Value, 90.5 / 1.26, 90.5 * 1.26);
    }

    [Fact]
    public void Breakdowns_cover_the_thirty_days_per_channel_and_domain_present()
    {
        var data = new AggregateData();
        Aggregation.Apply(data, Events.Rating(Today, 5, Channel.Online, IpDomain.Trademark));
        Aggregation.Apply(data, Events.Rating(Today.AddDays(-29), 1, Channel.Online, IpDomain.Patent));
        Aggregation.Apply(data, Events.Rating(Today.AddDays(-5), 4, Channel.Hotline, IpDomain.Patent));
        Aggregation.Apply(data, Events.Rating(Today.AddDays(-40), 4, Channel.Window, IpDomain.IcLayout));

        var measures = Compute(data);

        Assert.Equal([Channel.Online, Channel.Hotline], measures.ByChannel.Keys.Order());
        Assert.Equal([0L, 0, 0, 0, 1], measures.ByDomain[IpDomain.Trademark].Levels);
        Assert.Equal([IpDomain.Patent, IpDomain.Trademark], measures.ByDomain.Keys.Order());
        Assert.Equal(2, measures.ByChannel[Channel.Online].Count);
        Assert.Equal(50, measures.ByChannel[Channel.Online].Satisfaction!.Value, 9); // mean of 5 and 1
        Assert.Equal(2, measures.ByDomain[IpDomain.Patent].Count);
    }

    [Fact]
    public void Daily_series_has_ninety_days_including_empty_ones()
    {
        var data = new AggregateData();
        Aggregation.Apply(data, Events.Rating(Today, 5));
        Aggregation.Apply(data, Events.Rating(Today, 4));
        Aggregation.Apply(data, Events.Rating(Today, 1));
        Aggregation.Apply(data, Events.Completed(Today.AddDays(-89), 1));

        var daily = Compute(data).Daily;

        Assert.Equal(90, daily.Count);
        Assert.Equal(Today.AddDays(-89), daily[0].Date);
        Assert.Equal(Today, daily[^1].Date);
        Assert.Equal(1, daily[0].Completed);
        Assert.Equal(0, daily[0].Count);
        Assert.Null(daily[0].GoodRate);
        Assert.Null(daily[0].Satisfaction);
        Assert.Equal(3, daily[^1].Count);
        Assert.Equal(2.0 / 3, daily[^1].GoodRate!.Value, 12);
        Assert.Equal(58.3333, daily[^1].Satisfaction!.Value, 3); // mean (5 + 4 + 1) / 3 = 10/3 → (10/3 − 1) × 25
        Assert.All(daily.Skip(1).Take(88), point => Assert.Equal(0, point.Count));
    }

    [Fact]
    public void Measures_carry_their_time()
    {
        Assert.Equal(AsOf, Compute(new AggregateData()).AsOf);
    }

    [Fact]
    public void Peer_prior_is_the_mean_level_of_all_members_ratings()
    {
        var prior = MeasureCalculator.PriorFrom([[0, 0, 0, 1, 1], [2, 0, 0, 0, 0]]);

        // (4 + 5 + 1 + 1) / 4 = 2.75
        Assert.Equal(2.75, prior.MeanLevel, 12);
        Assert.Equal(4, prior.Count);
        Assert.Equal(MeasureCalculator.NeutralMeanLevel, MeasureCalculator.PriorFrom([]).MeanLevel);
    }

    [Fact]
    public void Minimum_samples_default_per_window()
    {
        Assert.Equal(5, Settings.MinSampleFor(Windows.Today));
        Assert.Equal(10, Settings.MinSampleFor(Windows.Days7));
        Assert.Equal(20, Settings.MinSampleFor(Windows.Days30));
        Assert.Equal(30, Settings.MinSampleFor(Windows.Days90));
        Assert.Throws<ArgumentOutOfRangeException>(() => Settings.MinSampleFor("d365"));
    }

    private static AreaMeasures Compute(AggregateData data) =>
        MeasureCalculator.Compute(data, AsOf, Today, null, Settings);
}
