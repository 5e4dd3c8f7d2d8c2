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

    [Theory]
    [InlineData(nameof(CaseSettings.ContactRetentionDays), 0, 3650)]
    [InlineData(nameof(CaseSettings.AuditWorkingDays), 1, 250)]
    [InlineData(nameof(CaseSettings.DueSoonWorkingDays), 0, 60)]
    [InlineData(nameof(CaseSettings.CallBackWorkingDays), 0, 60)]
    [InlineData(nameof(CaseSettings.CheckWorkingDays), 0, 60)]
    [InlineData(nameof(CaseSettings.RectifyWorkingDays), 1, 250)]
    [InlineData(nameof(CaseSettings.WatchDays), 0, 3650)]
    public void A_period_is_accepted_at_both_ends_of_its_range_and_refused_one_beyond_naming_it(string name, int least, int most)
    {
        Assert.Empty(With(name, least).Validate());
        Assert.Empty(With(name, most).Validate());
        foreach (var beyond in new[] { least - 1, most + 1 })
        {
            var problem = Assert.Single(With(name, beyond).Validate());
            Assert.StartsWith("Evaluation:Cases:", problem, StringComparison.Ordinal);
            Assert.Contains($"{name} ", problem, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void No_grace_and_a_one_second_check_period_are_allowed_a_shorter_period_is_not()
    {
        Assert.Empty(new CaseSettings { FollowUpOverdueGrace = TimeSpan.Zero, CheckPeriod = TimeSpan.FromSeconds(1) }.Validate());
        Assert.Empty(new CaseSettings { FollowUpOverdueGrace = TimeSpan.FromDays(30) }.Validate());
        Assert.Equal(
            ["Evaluation:Cases:CheckPeriod must be at least one second."],
            new CaseSettings { CheckPeriod = TimeSpan.FromMilliseconds(999) }.Validate());
    }

    private static CaseSettings With(string name, int value)
    {
        var settings = new CaseSettings();
        typeof(CaseSettings).GetProperty(name)!.SetValue(settings, value);
        return settings;
    }
}
