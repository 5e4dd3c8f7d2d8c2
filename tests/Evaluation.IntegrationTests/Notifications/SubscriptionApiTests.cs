using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Evaluation.ClientApi.Security;
using Evaluation.Grains.Registry;
using Evaluation.IntegrationTests.Api;
using Evaluation.IntegrationTests.Infrastructure;
using Xunit;

namespace Evaluation.IntegrationTests.Notifications;

/// <summary>
/// The subscription API on the real system: bad requests named by field, officers confined to their city, https
/// outside development, a receiver failing until its deliveries are dead-lettered and then redelivered on demand,
/// and the delivery latency measured from the commit and from the request to the receiver.
/// </summary>
public sealed class SubscriptionApiTests(SubscriptionApiTests.NotifyingSystem system) : IClassFixture<SubscriptionApiTests.NotifyingSystem>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("""{ "events": ["audit.opened"] }""", "url")]
    [InlineData("""{ "url": "http://127.0.0.1:1/a", "email": "a@b.example", "events": ["audit.opened"] }""", "url")]
    [InlineData("""{ "url": "ftp://127.0.0.1/a", "events": ["audit.opened"] }""", "url")]
    [InlineData("""{ "url": "http://user:pw@127.0.0.1/a", "events": ["audit.opened"] }""", "url")]
    [InlineData("""{ "url": "http://127.0.0.1:1/a", "events": [] }""", "events")]
    [InlineData("""{ "url": "http://127.0.0.1:1/a", "events": ["audit.opened", "audit.closed"] }""", "events[1]")]
    [InlineData("""{ "url": "http://127.0.0.1:1/a", "events": ["audit.opened"], "city": "guangzhou" }""", "city")]
    public async Task A_bad_subscription_is_refused_naming_the_field(string body, string field)
    {
        using var supervisor = await system.StaffClientAsync(Roles.Supervisor, null);
        using var response = await supervisor.PostAsync("/api/v1/subscriptions", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.Equal(field, problem!["errors"]![0]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Outside_development_a_webhook_must_use_https()
    {
        using var production = system.CreateApi(new Dictionary<string, string> { ["Evaluation:Notifications:AllowHttp"] = "false" }).CreateClient();
        production.DefaultRequestHeaders.Authorization = new("Bearer", await system.TokenAsync(Roles.Supervisor));
        using var refused = await production.PostAsJsonAsync("/api/v1/subscriptions", new { url = "http://127.0.0.1:1/hook", events = new[] { "audit.opened" } }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.Equal("url", problem!["errors"]![0]!["field"]!.GetValue<string>());
        Assert.Contains("https", problem["errors"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        var (id, secret) = await Subscriptions.SubscribeAsync(production, new { url = "https://receiver.example/hook", events = new[] { "audit.opened" } });
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        using var deleted = await production.DeleteAsync($"/api/v1/subscriptions/{id}", Ct);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
    }

    [Fact]
    public async Task An_officer_subscribes_for_their_own_city_only_and_sees_only_its_subscriptions()
    {
        using var officer = await system.StaffClientAsync(Roles.CityOfficer, "440600");
        using var other = await system.StaffClientAsync(Roles.CityOfficer, "440700");
        using var elsewhere = await officer.PostAsJsonAsync("/api/v1/subscriptions", new { url = "http://127.0.0.1:1/hook", events = new[] { "audit.opened" }, city = "440700" }, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, elsewhere.StatusCode);

        var (id, _) = await Subscriptions.SubscribeAsync(officer, new { url = "http://127.0.0.1:1/hook", events = new[] { "audit.opened" } });
        var own = await officer.GetFromJsonAsync<JsonArray>("/api/v1/subscriptions", Ct);
        Assert.Contains(own!, s => s!["id"]!.GetValue<string>() == id && s["cityCode"]!.GetValue<string>() == "440600");
        Assert.DoesNotContain((await other.GetFromJsonAsync<JsonArray>("/api/v1/subscriptions", Ct))!, s => s!["id"]!.GetValue<string>() == id);
        using var peek = await other.GetAsync($"/api/v1/subscriptions/{id}/deliveries", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, peek.StatusCode);
        using var drop = await other.DeleteAsync($"/api/v1/subscriptions/{id}", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, drop.StatusCode);
    }

    [Fact]
    public async Task Deliveries_failing_past_the_deadline_are_dead_lettered_and_redelivered_on_demand_with_the_same_id()
    {
        await using var receiver = new WebhookReceiver { Status = 500 };
        await receiver.StartAsync();
        using var supervisor = await system.StaffClientAsync(Roles.Supervisor, null);
        var (id, secret) = await Subscriptions.SubscribeAsync(supervisor, new { url = receiver.Url, events = new[] { "audit.opened" }, city = "440500" });
        var institution = ShippedRegistry.Sample.Institutions.First(i => i.CityCode == "440500");
        await AuditLifecycleTests.Send(supervisor, "/api/v1/audits", new { institutionId = institution.Id, reason = "抽查" }, HttpStatusCode.Created);

        JsonObject? dead = null;
        await StaffWork.EventuallyAsync(async () =>
            (dead = (await Subscriptions.DeliveriesAsync(supervisor, id)).SingleOrDefault(d => d["state"]!.GetValue<string>() == "dead")) is not null,
            "the delivery to be dead-lettered");
        var deliveryId = dead!["id"]!.GetValue<string>();
        Assert.All(dead["attemptLog"]!.AsArray(), a => Assert.Equal(500, a!["status"]!.GetValue<int>()));
        Assert.All(receiver.Received, h => Assert.Equal(deliveryId, h.Delivery));

        receiver.Status = 200;
        using (var redeliver = await supervisor.PostAsync($"/api/v1/subscriptions/{id}/deliveries/{deliveryId}/redeliver", null, Ct))
        {
            Assert.Equal(HttpStatusCode.Accepted, redeliver.StatusCode);
        }

        await StaffWork.EventuallyAsync(async () =>
            (await Subscriptions.DeliveriesAsync(supervisor, id)).Single()["state"]!.GetValue<string>() == "delivered", "the redelivery");
        var last = receiver.Received.Last();
        Assert.Equal(deliveryId, last.Delivery);
        Assert.True(Subscriptions.SignatureHolds(last, secret!));
        using var unknown = await supervisor.PostAsync($"/api/v1/subscriptions/{id}/deliveries/{Guid.NewGuid()}/redeliver", null, Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    /// <summary>
    /// Delivery latency with a healthy receiver, for the record (printed, not asserted: tests assert behaviour):
    /// from the commit of the state change (the event's recordedAt) and from the API request that caused it.
    /// </summary>
    [Fact]
    public async Task Delivery_latency_is_measured_from_the_state_change_to_the_receiver()
    {
        await using var receiver = new WebhookReceiver();
        await receiver.StartAsync();
        using var supervisor = await system.StaffClientAsync(Roles.Supervisor, null);
        await Subscriptions.SubscribeAsync(supervisor, new { url = receiver.Url, events = new[] { "audit.opened" }, city = "441900" });
        var institution = ShippedRegistry.Sample.Institutions.First(i => i.CityCode == "441900");
        var requested = new Dictionary<string, DateTimeOffset>();
        const int Audits = 40;
        for (var i = 0; i < Audits; i++)
        {
            var at = DateTimeOffset.UtcNow;
            var opened = await AuditLifecycleTests.Send(supervisor, "/api/v1/audits", new { institutionId = institution.Id, reason = $"latency {i}" }, HttpStatusCode.Created);
            requested[opened["id"]!.GetValue<string>()] = at;
            await Task.Delay(Random.Shared.Next(50, 250), Ct);
        }

        await StaffWork.EventuallyAsync(() => Task.FromResult(receiver.Received.Count >= Audits), "every audit.opened to arrive");
        var fromCommit = new List<double>();
        var fromRequest = new List<double>();
        foreach (var hook in receiver.Received)
        {
            var body = JsonNode.Parse(hook.Body)!;
            fromCommit.Add((hook.ReceivedAt - body["recordedAt"]!.GetValue<DateTimeOffset>()).TotalMilliseconds);
            fromRequest.Add((hook.ReceivedAt - requested[body["data"]!["audit"]!["id"]!.GetValue<string>()]).TotalMilliseconds);
        }

        Assert.Equal(Audits, receiver.Received.Select(h => h.Delivery).Distinct().Count());
        var report = string.Create(CultureInfo.InvariantCulture,
            $"delivery latency over {Audits} audit.opened events (poll 100 ms): from commit p50 {Percentile(fromCommit, 0.5):F0} ms, p99 {Percentile(fromCommit, 0.99):F0} ms; from the API request p50 {Percentile(fromRequest, 0.5):F0} ms, p99 {Percentile(fromRequest, 0.99):F0} ms");
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        await File.WriteAllTextAsync(Path.Combine(Path.GetTempPath(), "evaluation-notification-latency.txt"), report + Environment.NewLine, Ct);
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(p * sorted.Count) - 1)];
    }

    /// <summary>The system these tests share, delivering fast and giving up after a few seconds.</summary>
    public sealed class NotifyingSystem : RunningSystem
    {
        public NotifyingSystem() => SiloSettings = new Dictionary<string, string>(Subscriptions.FastDelivery)
        {
            ["Evaluation:Notifications:DeadLetterAfter"] = "00:00:03",
        };
    }
}
