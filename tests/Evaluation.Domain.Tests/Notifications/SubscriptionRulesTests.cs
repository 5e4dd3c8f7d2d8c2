using Evaluation.Contracts.Notifications;
using Evaluation.Domain.Notifications;
using Xunit;

namespace Evaluation.Domain.Tests.Notifications;

public sealed class SubscriptionRulesTests
{
    [Theory]
    [InlineData("https://hooks.example/evaluation", false)]
    [InlineData("http://127.0.0.1:8080/hook", true)]
    public void A_webhook_with_known_events_passes(string url, bool allowHttp) =>
        Assert.Empty(SubscriptionRules.Check(new NewSubscription(url, null, [EventTypes.AuditEscalated], "440100"), allowHttp));

    [Fact]
    public void Plain_http_is_refused_outside_development()
    {
        var problem = Assert.Single(SubscriptionRules.Check(new NewSubscription("http://hooks.example/x", null, [EventTypes.AlertRaised], null), allowHttp: false));
        Assert.Equal("url", problem.Field);
        Assert.Contains("https", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, "url")]
    [InlineData("https://a.example/x", "a@b.example", "url")]
    [InlineData("https://a.example/x#frag", null, "url")]
    [InlineData("/relative", null, "url")]
    [InlineData(null, "not an address", "email")]
    [InlineData(null, "Name <a@b.example>", "email")]
    public void A_subscription_needs_exactly_one_valid_target(string? url, string? email, string field) =>
        Assert.Equal(field, Assert.Single(SubscriptionRules.Check(new NewSubscription(url, email, [EventTypes.AlertRaised], null), allowHttp: true)).Field);

    [Fact]
    public void Every_unknown_event_and_a_bad_city_are_named()
    {
        var problems = SubscriptionRules.Check(new NewSubscription(null, "a@b.example", [EventTypes.AlertRaised, "alert.exploded", "audit.closed"], "440104"), allowHttp: true);
        Assert.Equal(["events[1]", "events[2]", "city"], problems.Select(p => p.Field));
        Assert.Equal("events", Assert.Single(SubscriptionRules.Check(new NewSubscription(null, "a@b.example", [], null), allowHttp: true)).Field);
    }
}
