using Evaluation.Detection;
using Xunit;

namespace Evaluation.Detection.Tests;

public sealed class ExactBinomialTests
{
    [Theory]
    [InlineData(5, 7, 0.1243)]
    [InlineData(5, 6, 0.1572)]
    [InlineData(10, 14, 0.2611)]
    [InlineData(30, 100, 0.1637)]
    public void The_lower_bound_is_the_rate_under_which_so_many_events_are_as_rare_as_the_tail(long events, long trials, double clopperPearson)
    {
        var lower = ExactBinomial.Lower(events, trials, 3.29);

        Assert.Equal(clopperPearson, lower, 3);
        Assert.Equal(ExactBinomial.UpperNormalTail(3.29), ExactBinomial.AtLeast(events, trials, lower), 5);
    }

    [Fact]
    public void On_a_handful_of_trials_it_claims_less_than_Wilson_and_nothing_without_events()
    {
        Assert.True(ExactBinomial.Lower(5, 7, 3.29) < Wilson.Lower(5, 7, 3.29) - 0.05);
        Assert.Equal(0, ExactBinomial.Lower(0, 20, 3.29));
        Assert.Equal(0.0005, ExactBinomial.UpperNormalTail(3.29), 4);
        Assert.Equal(0.5, ExactBinomial.UpperNormalTail(0), 6);
    }
}
