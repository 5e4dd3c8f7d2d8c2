using System.Diagnostics.Metrics;

namespace Evaluation.Grains.Telemetry;

/// <summary>Deliveries of notifications to subscribers, by channel and outcome.</summary>
public static class NotificationMetrics
{
    public const string MeterName = "Evaluation.Notifications";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Deliveries = Meter.CreateCounter<long>(
        "evaluation.notifications.deliveries", "{delivery}", "Delivery attempts of notifications by channel (webhook, email) and outcome (succeeded, failed, dead-lettered).");

    public static void Attempted(bool webhook, bool delivered) => Record(webhook, delivered ? "succeeded" : "failed");

    public static void DeadLettered(bool webhook) => Record(webhook, "dead-lettered");

    private static void Record(bool webhook, string outcome) =>
        Deliveries.Add(1, new KeyValuePair<string, object?>("channel", webhook ? "webhook" : "email"), new KeyValuePair<string, object?>("outcome", outcome));
}
