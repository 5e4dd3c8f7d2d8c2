using Evaluation.Detection;
using Xunit;

namespace Evaluation.Detection.Tests;

public sealed class SharedMovementTests
{
    [Theory]
    [InlineData(0.01)]
    [InlineData(0.045)]
    [InlineData(0.12)]
    public void A_disturbance_every_rate_shares_is_covered_whatever_the_subjects_own_rate(double own)
    {
        // The seasonal rush of the harness: every rate p becomes 2p + 4 points; the others were at 4.5 %.
        static double Rush(double p) => (2 * p) + 0.04;

        var expected = SharedMovement.Scaled(own, Rush(0.045), 0.045);

        Assert.InRange(expected, Rush(own), Rush(own) + 0.08);
    }

    [Fact]
    public void Others_no_worse_than_before_leave_the_own_rate_as_it_is()
    {
        Assert.Equal(0.05, SharedMovement.Scaled(0.05, 0.03, 0.04));
        Assert.Equal(0.05, SharedMovement.Scaled(0.05, 0.04, 0.04));
        Assert.Equal(0.05, SharedMovement.Scaled(0.05, 0.06, 0));
    }

    [Fact]
    public void A_holiday_the_others_say_too_little_about_is_left_out_an_ordinary_day_is_judged_against_the_own_rate()
    {
        var thin = new WindowCounts(Ratings: PeerStatistics.MinDailyRatings - 1, Bad: 10, 0, 0, 0, 0, 0);
        var enough = new WindowCounts(Ratings: 100, Bad: 10, 0, 0, 0, 0, 0);

        Assert.Null(SharedMovement.Expected(0.05, RateStream.Bad, thin, 0.05, holiday: true));
        Assert.Equal(0.05, SharedMovement.Expected(0.05, RateStream.Bad, thin, 0.05, holiday: false));
        Assert.Equal(0.10, SharedMovement.Expected(0.05, RateStream.Bad, enough, 0.05, holiday: false)!.Value, 9);
    }

    [Fact]
    public void On_a_holiday_the_others_rate_counts_at_its_upper_bound_on_an_ordinary_day_at_its_estimate()
    {
        // 10 差评 of 100 against 5 % before: on a holiday 10 % plus two standard errors (6 points) is what the day may have done.
        var day = new WindowCounts(Ratings: 100, Bad: 10, 0, 0, 0, 0, 0);

        Assert.Equal(0.10, SharedMovement.Expected(0.05, RateStream.Bad, day, 0.05, holiday: false)!.Value, 9);
        Assert.Equal(0.16, SharedMovement.Expected(0.05, RateStream.Bad, day, 0.05, holiday: true)!.Value, 9);

        // The bound shrinks with the others' trials: ten times as many say the same within two points.
        var busy = new WindowCounts(Ratings: 1000, Bad: 100, 0, 0, 0, 0, 0);
        Assert.InRange(SharedMovement.Expected(0.05, RateStream.Bad, busy, 0.05, holiday: true)!.Value, 0.10, 0.12);

        // A holiday the others did not rise on leaves the own rate as it is.
        var calm = new WindowCounts(Ratings: 100, Bad: 5, 0, 0, 0, 0, 0);
        Assert.Equal(0.05, SharedMovement.Expected(0.05, RateStream.Bad, calm, 0.05, holiday: true)!.Value, 9);
    }

    [Fact]
    public void A_margin_stretches_as_the_others_rate_rose_and_never_shrinks()
    {
        Assert.Equal(3, SharedMovement.Stretch(0.15, 0.05), 9);
        Assert.Equal(1, SharedMovement.Stretch(0.03, 0.05));
        Assert.Equal(1, SharedMovement.Stretch(0.15, 0));
    }

    [Fact]
    public void The_late_stream_counts_late_completions_among_completions()
    {
        var day = new WindowCounts(Ratings: 10, Bad: 1, 0, 0, Completed: 40, OnTime: 30, 0);

        Assert.Equal(0.25, RateStream.Late.Rate(day));
        Assert.Equal(0.1, RateStream.Bad.Rate(day));
        Assert.Null(RateStream.Late.Rate(default));
    }
}
