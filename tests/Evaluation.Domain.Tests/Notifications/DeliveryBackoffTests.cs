using Evaluation.Domain.Notifications;
using Xunit;

namespace Evaluation.Domain.Tests.Notifications;

public sealed class DeliveryBackoffTests
{
    private readonly DeliveryBackoff backoff = new(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(30));

    [Fact]
    public void The_ceiling_doubles_per_attempt_up_to_the_cap()
    {
        Assert.Equal(TimeSpan.FromSeconds(10), backoff.Next(1, 1));
        Assert.Equal(TimeSpan.FromSeconds(20), backoff.Next(2, 1));
        Assert.Equal(TimeSpan.FromSeconds(80), backoff.Next(4, 1));
        Assert.Equal(TimeSpan.FromMinutes(30), backoff.Next(12, 1));
        Assert.Equal(TimeSpan.FromMinutes(30), backoff.Next(1000, 1));
    }

    [Fact]
    public void Jitter_spreads_the_delay_but_never_below_half_the_first()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), backoff.Next(6, 0));
        Assert.Equal(TimeSpan.FromSeconds(5) + ((TimeSpan.FromSeconds(320) - TimeSpan.FromSeconds(5)) / 2), backoff.Next(6, 0.5));
        var draws = Enumerable.Range(0, 200).Select(_ => backoff.Next(8, Random.Shared.NextDouble())).ToList();
        Assert.All(draws, d => Assert.InRange(d, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1280)));
        Assert.True(draws.Distinct().Count() > 100);
    }
}
