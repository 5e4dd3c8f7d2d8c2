using System.Security.Cryptography;
using Evaluation.Contracts.Cases;
using Evaluation.Contracts.Notifications;
using Evaluation.Domain.Notifications;
using Evaluation.Grains.Ingestion;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;

namespace Evaluation.Grains.Notifications;

/// <summary>
/// Subscriptions on behalf of the API (which knows no database keys): creates them with a fresh signing secret,
/// sealed at rest with the silo's key (<see cref="SubscriptionRules"/> checked), and answers the delivery logs. The API
/// has checked the caller's role and city.
/// </summary>
[StatelessWorker]
public sealed class SubscriptionGrain(IServiceProvider services, ContactSealer sealer, NotificationSettings settings, SmtpSettings smtp) : Grain, ISubscriptionGrain
{
    // Resolved per call: in-memory mode has no store, and says so.
    private SubscriptionStore Store => services.GetService<SubscriptionStore>() ?? throw new NotificationsUnavailableException();

    public async Task<SubscriptionOutcome> Create(NewSubscription request, Actor actor, bool allowHttp)
    {
        if (SubscriptionRules.Check(request, allowHttp) is { Count: > 0 } problems)
        {
            return new SubscriptionOutcome(null, problems);
        }

        if (request.Email is not null && !smtp.Enabled)
        {
            return new SubscriptionOutcome(null, [new SubscriptionProblem("email", "this system has no SMTP relay configured (Evaluation:Smtp:Host), so it cannot send e-mail")]);
        }

        var id = "sub-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var secret = request.Url is null ? null : "whsec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        await Store.CreateAsync(id, request, secret is null ? null : sealer.SealSecret(secret, id), actor.Name, actor.Role);
        var created = (await Store.ListAsync(null, id))[0];
        return new SubscriptionOutcome(new CreatedSubscription(created, secret ?? ""), []);
    }

    public Task<IReadOnlyList<SubscriptionView>> List(string? cityCode) => Store.ListAsync(cityCode);

    public async Task<SubscriptionView?> Get(string id) => (await Store.ListAsync(null, id)).FirstOrDefault();

    public Task<bool> Delete(string id) => Store.DeleteAsync(id);

    public Task<DeliveryPage> Deliveries(string subscriptionId, int page, int pageSize) => Store.DeliveriesAsync(subscriptionId, page, pageSize);

    public Task<bool> Redeliver(string subscriptionId, Guid deliveryId) => Store.RedeliverAsync(subscriptionId, deliveryId, settings.DeadLetterAfter);
}
