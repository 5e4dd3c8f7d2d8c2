using Evaluation.Grains.Notifications;
using Xunit;

namespace Evaluation.UnitTests.Notifications;

public sealed class NotificationSettingsTests
{
    [Fact]
    public void The_defaults_are_valid() => Assert.Empty(new NotificationSettings().Validate().Concat(new SmtpSettings().Validate()));

    [Fact]
    public void A_lease_shorter_than_two_deliveries_could_take_is_refused()
    {
        var problem = Assert.Single(new NotificationSettings { AttemptTimeout = TimeSpan.FromSeconds(30), LeaseTime = TimeSpan.FromMinutes(2) }.Validate());
        Assert.Contains("LeaseTime", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_relay_needs_a_parseable_sender_and_user_with_password()
    {
        Assert.Empty(new SmtpSettings { Host = "relay.example", From = "好差评 <evaluation@gdipa.example>" }.Validate());
        Assert.Equal(2, new SmtpSettings { Host = "relay.example", From = "not an address", User = "u" }.Validate().Count);
    }
}
