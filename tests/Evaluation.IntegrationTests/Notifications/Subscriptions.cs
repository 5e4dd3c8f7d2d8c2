using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Evaluation.Contracts.Notifications;
using Evaluation.IntegrationTests.Api;
using Evaluation.IntegrationTests.Infrastructure;
using Xunit;

namespace Evaluation.IntegrationTests.Notifications;

/// <summary>What the notification tests share: settings that deliver within a test's patience, and the API calls.</summary>
internal static class Subscriptions
{
    /// <summary>Poll often, retry soon, and let a dead silo's lease lapse within seconds.</summary>
    public static readonly IReadOnlyDictionary<string, string> FastDelivery = new Dictionary<string, string>
    {
        ["Evaluation:Notifications:PollInterval"] = "00:00:00.100",
        ["Evaluation:Notifications:LeaseTime"] = "00:00:12",
        ["Evaluation:Notifications:AttemptTimeout"] = "00:00:02",
        ["Evaluation:Notifications:InCallRetries"] = "1",
        ["Evaluation:Notifications:FirstRetryDelay"] = "00:00:00.400",
        ["Evaluation:Notifications:MaxRetryDelay"] = "00:00:01.500",
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Subscribes through the API and answers the new subscription's id and secret.</summary>
    public static async Task<(string Id, string? Secret)> SubscribeAsync(HttpClient client, object body)
    {
        var created = await AuditLifecycleTests.Send(client, "/api/v1/subscriptions", body, HttpStatusCode.Created);
        return (created["id"]!.GetValue<string>(), created["secret"]?.GetValue<string>());
    }

    public static Task<(string Id, string? Secret)> SubscribeWebhookAsync(HttpClient client, string url, string? city = null) =>
        SubscribeAsync(client, new { url, events = EventTypes.All, city });

    /// <summary>Every delivery of a subscription (all pages), oldest first.</summary>
    public static async Task<IReadOnlyList<JsonObject>> DeliveriesAsync(HttpClient client, string subscriptionId)
    {
        var all = new List<JsonObject>();
        for (var page = 1; ; page++)
        {
            var found = await client.GetFromJsonAsync<JsonObject>($"/api/v1/subscriptions/{subscriptionId}/deliveries?page={page}&pageSize=100", Ct);
            var items = found!["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
            all.AddRange(items);
            if (items.Count < 100)
            {
                break;
            }
        }

        all.Reverse();
        return all;
    }

    /// <summary>Checks the signature the way a receiver would: HMAC-SHA256 of the raw body with the secret, in hex.</summary>
    public static bool SignatureHolds(ReceivedHook hook, string secret) =>
        hook.Signature == "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), hook.Body));
}
