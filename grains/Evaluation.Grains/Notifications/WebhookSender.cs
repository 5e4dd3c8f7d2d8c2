using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Evaluation.Grains.Ingestion;

namespace Evaluation.Grains.Notifications;

/// <summary>
/// Posts one delivery: the JSON body <c>{ id, type, occurredAt, data, eventId, recordedAt }</c> signed with the
/// subscription's secret. The "webhooks" HTTP client follows no redirects and retries transient failures a few
/// times with exponential backoff and jitter within <see cref="NotificationSettings.AttemptTimeout"/> per try
/// (Microsoft.Extensions.Http.Resilience); what is still failing after that is rescheduled by the worker.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients, ContactSealer sealer)
{
    public const string ClientName = "webhooks";

    public async Task<AttemptResult> SendAsync(LeasedSubscription subscription, DueDelivery delivery, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var body = Body(delivery);
            var secret = sealer.OpenSecret(subscription.SecretSealed!, subscription.Id);
            using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            request.Headers.Add("X-Evaluation-Event", delivery.Type);
            request.Headers.Add("X-Evaluation-Delivery", delivery.Id.ToString());
            request.Headers.Add("X-Evaluation-Signature", Signature(secret, body));
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var status = (int)response.StatusCode;
            var error = response.IsSuccessStatusCode ? null
                : status is >= 300 and < 400 ? $"HTTP {status}: redirects are not followed; subscribe the final URL" : $"HTTP {status}";
            return new AttemptResult(response.IsSuccessStatusCode, status, error, Elapsed(started));
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            var message = $"{ex.GetType().Name}: {ex.Message}";
            return new AttemptResult(false, null, message.Length > 300 ? message[..300] : message, Elapsed(started));
        }
    }

    /// <summary><c>sha256=</c> and the lower-case hex HMAC-SHA256 of the raw body, keyed with the secret's UTF-8 bytes.</summary>
    public static string Signature(string secret, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public static byte[] Body(DueDelivery delivery)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", delivery.Id);
            json.WriteString("type", delivery.Type);
            json.WriteString("occurredAt", delivery.OccurredAt);
            json.WritePropertyName("data");
            json.WriteRawValue(delivery.Data);
            json.WriteString("eventId", delivery.EventId);
            json.WriteString("recordedAt", delivery.RecordedAt);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static int Elapsed(long started) => (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
}
