using Evaluation.Domain.Notifications;
using Evaluation.Grains.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Evaluation.Grains.Notifications;

/// <summary>
/// Each silo's delivery loop, apart from ingestion and detection (which only write outbox rows): leases
/// subscriptions with due work, sends each one's deliveries oldest first until one fails (then it waits for its
/// backoff, keeping the order) or the lease half runs out, and mails the digests that are due. A receiver that is
/// down or slow costs this loop its bounded timeouts and nothing else.
/// </summary>
public sealed partial class DeliveryWorker(
    DeliveryQueue queue,
    WebhookSender webhooks,
    MailSender mail,
    NotificationSettings settings,
    TimeProvider time,
    ILogger<DeliveryWorker> logger) : BackgroundService
{
    private readonly string owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    private readonly DeliveryBackoff backoff = new(settings.FirstRetryDelay, settings.MaxRetryDelay);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var leased = await queue.LeaseAsync(owner, settings.LeaseTime, settings.Parallelism, stoppingToken);
                await Task.WhenAll(leased.Select(s => DrainAsync(s, stoppingToken)));
                foreach (var digest in await queue.LeaseDigestsAsync(settings.DigestPeriod, settings.LeaseTime, settings.Parallelism, stoppingToken))
                {
                    await SendDigestAsync(digest, stoppingToken);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The database away, or the schema not yet migrated: nothing is lost, the next round tries again.
                LogRoundFailed(logger, ex);
            }

            try
            {
                await Task.Delay(settings.PollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task DrainAsync(LeasedSubscription subscription, CancellationToken ct)
    {
        var until = time.GetUtcNow() + settings.LeaseTime / 2;
        try
        {
            while (time.GetUtcNow() < until && await queue.HeadAsync(subscription.Id, ct) is { Due: true } head)
            {
                if (head.Expired)
                {
                    await queue.GiveUpAsync(head.Id, ct);
                    LogDeadLettered(logger, head.Id, subscription.Id, head.Attempts);
                    NotificationMetrics.DeadLettered(webhook: subscription.Url is not null);
                    continue;
                }

                var result = subscription.Url is not null
                    ? await webhooks.SendAsync(subscription, head, ct)
                    : await mail.SendAsync(subscription.Email!, MailTemplates.Immediate(head), ct);
                await queue.RecordAsync(head.Id, result, backoff.Next(head.Attempts + 1, Random.Shared.NextDouble()), ct);
                NotificationMetrics.Attempted(webhook: subscription.Url is not null, result.Delivered);
                if (!result.Delivered)
                {
                    LogAttemptFailed(logger, head.Id, subscription.Id, head.Attempts + 1, result.Error);
                    return;
                }
            }
        }
        finally
        {
            await queue.ReleaseAsync(subscription.Id, owner);
        }
    }

    private async Task SendDigestAsync(DueDigest digest, CancellationToken ct)
    {
        var events = await queue.DigestEventsAsync(digest, ct);
        if (events.Count > 0)
        {
            var result = await mail.SendAsync(digest.Email, MailTemplates.Digest(digest, events), ct);
            if (!result.Delivered)
            {
                // Left leased: the lease lapses and a later round sends the same window again.
                LogDigestFailed(logger, digest.Id, result.Error);
                return;
            }
        }

        await queue.DigestSentAsync(digest);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A notification delivery round failed; the next round tries again")]
    private static partial void LogRoundFailed(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery {Delivery} to subscription {Subscription}, attempt {Attempt}, failed: {Error}")]
    private static partial void LogAttemptFailed(ILogger logger, Guid delivery, string subscription, int attempt, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {Delivery} to subscription {Subscription} dead-lettered after {Attempts} attempts")]
    private static partial void LogDeadLettered(ILogger logger, Guid delivery, string subscription, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The digest of subscription {Subscription} could not be mailed: {Error}")]
    private static partial void LogDigestFailed(ILogger logger, string subscription, string? error);
}
