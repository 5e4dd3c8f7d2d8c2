using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Evaluation.ClientApi.Security;
using Evaluation.IntegrationTests.Api;
using Evaluation.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Xunit;

namespace Evaluation.IntegrationTests.Notifications;

/// <summary>
/// Webhooks end to end on the real system: a receiver on loopback that is down while an underperformer is planted,
/// detection raises its alert, an audit is opened from it and escalates, follow-ups go overdue, and a silo is killed;
/// when the receiver comes back every event arrives, signed, in order, with its delivery id stable across retries.
/// </summary>
public sealed class WebhookDeliveryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_receiver_that_was_down_gets_every_event_signed_and_in_order_and_a_killed_silo_loses_none()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.FromHours(8)));
        await using var system = new RunningSystem { CaseTime = new CaseTime(clock, TimeSpan.FromSeconds(1)), SiloSettings = Subscriptions.FastDelivery };
        await system.InitializeAsync();
        await using var receiver = new WebhookReceiver();
        await receiver.StartAsync();
        await receiver.StopAsync();

        var (target, peers) = PeerGroups.InDifferentCities(7);
        using var supervisor = AuditLifecycleTests.Client(system, await system.TokenAsync(Roles.Supervisor, name: "sup-hook"));
        using var officer = AuditLifecycleTests.Client(system, await system.TokenAsync(Roles.CityOfficer, target.CityCode, name: "off-hook"));
        using var peerOfficer = AuditLifecycleTests.Client(system, await system.TokenAsync(Roles.CityOfficer, peers[0].CityCode, name: "off-peer"));
        var province = await Subscriptions.SubscribeWebhookAsync(supervisor, receiver.Url + "?for=province");
        var city = await Subscriptions.SubscribeWebhookAsync(officer, receiver.Url + "?for=city");
        var peerCity = await Subscriptions.SubscribeWebhookAsync(peerOfficer, receiver.Url + "?for=peer");
        var secrets = new[] { province, city, peerCity }.ToDictionary(s => s.Id, s => s.Secret!);

        // While the receiver is down: the alert, an audit opened from it and escalated, and overdue follow-ups.
        await AlertsApiTests.PlantUnderperformerAsync(system, target, peers);
        var alert = await AlertsApiTests.DetectUntilAlertedAsync(supervisor, target);
        var audit = await AuditLifecycleTests.Send(supervisor, "/api/v1/audits",
            new { institutionId = target.Id, alertId = alert["id"]!.ToString(), reason = "差评率 far above peers" }, HttpStatusCode.Created);
        var auditId = audit["id"]!.GetValue<string>();
        clock.Advance(TimeSpan.FromDays(22));
        await StaffWork.EventuallyAsync(async () =>
            (await supervisor.GetFromJsonAsync<JsonObject>($"/api/v1/audits/{auditId}", Ct))!["escalated"]!.GetValue<bool>(), "the audit to escalate");
        using (var run = await supervisor.PostAsync("/api/v1/detection/runs", null, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, run.StatusCode);
        }

        // Attempts fail and are logged; then the silo that may hold work dies with everything still undelivered.
        await StaffWork.EventuallyAsync(async () => (await Subscriptions.DeliveriesAsync(supervisor, province.Id)) is [{ } head, ..] && head["attempts"]!.GetValue<int>() >= 2,
            "failed attempts at the down receiver");
        Assert.Empty(receiver.Received);
        await system.Cluster.KillAsync(system.Cluster.Cluster.SecondarySilos[0]);
        await receiver.StartAsync();

        // Every event committed so far reaches every subscription whose city it concerns (the province's: all of
        // them), and each delivery is received. Detection's timer may add events meanwhile; they must arrive too.
        IReadOnlyList<(string Id, string Type, string City)> events = [];
        var deliveries = new Dictionary<string, IReadOnlyList<JsonObject>>();
        await StaffWork.EventuallyAsync(async () =>
        {
            events = await OutboxAsync(system.ConnectionString);
            foreach (var (subscription, client) in new[] { (province.Id, supervisor), (city.Id, officer), (peerCity.Id, peerOfficer) })
            {
                deliveries[subscription] = await Subscriptions.DeliveriesAsync(client, subscription);
            }

            return deliveries.Values.SelectMany(d => d).All(d => d["state"]!.GetValue<string>() == "delivered")
                && events.All(e => deliveries[province.Id].Any(d => d["eventId"]!.GetValue<string>() == e.Id));
        }, "every event to be delivered");

        Assert.Contains(events, e => e.Id == $"alert-{alert["id"]}-raised");
        Assert.Contains(events, e => e.Id == $"audit-{auditId}-1" && e.Type == "audit.opened");
        Assert.Contains(events, e => e.Type == "audit.escalated" && e.Id.StartsWith($"audit-{auditId}-", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Type == "follow-up.overdue" && e.City == target.CityCode);
        Assert.Contains(events, e => e.Type == "follow-up.overdue" && e.City == peers[0].CityCode);
        var cityOf = (await OutboxAsync(system.ConnectionString)).ToDictionary(e => e.Id, e => e.City);
        foreach (var (subscription, scope) in new[] { (city.Id, target.CityCode), (peerCity.Id, peers[0].CityCode) })
        {
            var delivered = deliveries[subscription].Select(d => d["eventId"]!.GetValue<string>()).ToHashSet();
            Assert.All(delivered, id => Assert.Equal(scope, cityOf[id]));
            Assert.All(events.Where(e => e.City == scope), e => Assert.Contains(e.Id, delivered));
        }

        var received = receiver.Received.ToList();
        var subscriptionOf = deliveries.SelectMany(kv => kv.Value.Select(d => (Id: d["id"]!.GetValue<string>(), Subscription: kv.Key))).ToDictionary(x => x.Id, x => x.Subscription);
        foreach (var hook in received)
        {
            var body = JsonNode.Parse(hook.Body)!;
            Assert.Equal(hook.Delivery, body["id"]!.GetValue<string>());
            Assert.Equal(hook.Event, body["type"]!.GetValue<string>());
            Assert.True(Subscriptions.SignatureHolds(hook, secrets[subscriptionOf[hook.Delivery!]]), $"signature of delivery {hook.Delivery}");
        }

        foreach (var (subscription, logged) in deliveries)
        {
            // Each delivery arrived (at least once), first arrivals in the order the events committed.
            var arrivals = received.Where(h => subscriptionOf[h.Delivery!] == subscription).Select(h => h.Delivery!).Distinct().ToList();
            Assert.Equal(logged.Select(d => d["id"]!.GetValue<string>()), arrivals);
        }

        // The retries of the first delivery are recognisable: one id, failed attempts logged, then delivered.
        var first = deliveries[province.Id][0];
        var attempts = first["attemptLog"]!.AsArray();
        Assert.True(attempts.Count >= 3, $"attempts: {attempts.ToJsonString()}");
        Assert.All(attempts.Take(attempts.Count - 1), a => Assert.NotNull(a!["error"]));
        Assert.Equal(200, attempts[^1]!["status"]!.GetValue<int>());
    }

    /// <summary>The outbox as committed: event id, type and city.</summary>
    internal static async Task<IReadOnlyList<(string Id, string Type, string City)>> OutboxAsync(string connectionString)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand("SELECT id, type, city_code FROM notification_event");
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var events = new List<(string, string, string)>();
        while (await reader.ReadAsync(Ct))
        {
            events.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }

        return events;
    }
}
