using Evaluation.Domain.Cases;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace Evaluation.Domain.Tests.Cases;

public sealed class CaseSettingsTests
{
    [Fact]
    public void The_follow_up_overdue_grace_defaults_to_a_day_and_is_read_as_a_time_span()
    {
        Assert.Equal(TimeSpan.FromDays(1), new CaseSettings().FollowUpOverdueGrace);
        Assert.Empty(new CaseSettings().Validate());

        var configured = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Evaluation:Cases:FollowUpOverdueGrace"] = "04:00:00" })
            .Build()
            .GetSection("Evaluation:Cases")
            .Get<CaseSettings>()!;
        Assert.Equal(TimeSpan.FromHours(4), configured.FollowUpOverdueGrace);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(31 * 24)]
    public void A_grace_below_zero_or_beyond_thirty_days_is_refused_in_one_sentence(int hours)
    {
        var problem = Assert.Single(new CaseSettings { FollowUpOverdueGrace = TimeSpan.FromHours(hours) }.Validate());
        Assert.StartsWith("Evaluation:Cases:FollowUpOverdueGrace must be 0 to 30 days", problem, StringComparison.Ordinal);
    }
}
