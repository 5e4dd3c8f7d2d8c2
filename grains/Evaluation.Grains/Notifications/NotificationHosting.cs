using Evaluation.Detection;
using Evaluation.Grains.Cases;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Evaluation.Grains.Notifications;

public static class NotificationHosting
{
    /// <summary>What every silo needs to know about notifications: settings and which states announce changes.</summary>
    public static ISiloBuilder AddNotificationSources(this ISiloBuilder silo, NotificationSettings settings, SmtpSettings smtp)
    {
        silo.Services.AddSingleton(settings);
        silo.Services.AddSingleton(smtp);
        silo.Services.AddSingleton<INotificationSource<AlertBookState>, AlertNotifications>();
        silo.Services.AddSingleton<INotificationSource<AuditCaseState>, AuditNotifications>();
        return silo;
    }

    /// <summary>The outbox's delivery side on PostgreSQL: the subscription store, the senders and each silo's worker.</summary>
    public static ISiloBuilder AddPostgresNotifications(this ISiloBuilder silo)
    {
        silo.Services.AddSingleton<SubscriptionStore>();
        silo.Services.AddSingleton<DeliveryQueue>();
        silo.Services.AddSingleton<WebhookSender>();
        silo.Services.AddSingleton<MailSender>();
        silo.Services.AddHostedService<DeliveryWorker>();
        silo.Services.AddHttpClient(WebhookSender.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // A redirect could point a signed event anywhere; receivers must subscribe their final URL.
                AllowAutoRedirect = false,
                ConnectTimeout = TimeSpan.FromSeconds(5),
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            .AddResilienceHandler("webhook-delivery", (pipeline, context) =>
            {
                var settings = context.ServiceProvider.GetRequiredService<NotificationSettings>();
                if (settings.InCallRetries > 0)
                {
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = settings.InCallRetries,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        Delay = TimeSpan.FromMilliseconds(200),
                    });
                }

                pipeline.AddTimeout(settings.AttemptTimeout);
            });
        return silo;
    }
}
