using System.Security.Claims;
using Evaluation.ClientApi.Apis;
using Evaluation.ClientApi.Security;
using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Notifications;

namespace Evaluation.ClientApi.Application;

/// <summary>
/// Notification subscriptions as the JSON API and the consoles both manage them: a supervisor any city's or all,
/// an officer their own city's. Refuses with <see cref="Refusal"/>; 503 while notifications are unavailable.
/// </summary>
public sealed class SubscriptionService(IClusterClient cluster, IHostEnvironment environment, IConfiguration configuration)
{
    public async Task<SubscriptionCreated> CreateAsync(SubscriptionRequest body, ClaimsPrincipal user)
    {
        var city = body.City ?? user.ConfinedToCity();
        if (city is not null)
        {
            user.DemandCity(city);
        }

        // Plain-http webhooks only where the API host runs in Development (or the operator says so explicitly).
        var allowHttp = configuration.GetValue<bool?>("Evaluation:Notifications:AllowHttp") ?? environment.IsDevelopment();
        var outcome = await CallAsync(g => g.Create(new NewSubscription(body.Url, body.Email, body.Events ?? [], city), user.Actor(), allowHttp));
        if (outcome.Created is not { } created)
        {
            throw Refusal.Invalid("Invalid request", [.. outcome.Problems.Select(p => new FieldError(p.Field, p.Message))]);
        }

        var s = created.Subscription;
        return new SubscriptionCreated(s.Id, created.Secret.Length > 0 ? created.Secret : null, s.Url, s.Email, s.Events, s.CityCode, s.CreatedAt);
    }

    /// <summary>The subscriptions the caller may see: all (or one city's) for a supervisor, their city's for an officer.</summary>
    public Task<IReadOnlyList<SubscriptionView>> ListAsync(string? city, ClaimsPrincipal user) =>
        CallAsync(g => g.List(user.ConfinedToCity() ?? city));

    /// <summary>The subscription if the caller may manage it: 404 when there is none, 403 when it is another city's.</summary>
    public async Task<SubscriptionView> GetAsync(string id, ClaimsPrincipal user)
    {
        var subscription = await CallAsync(g => g.Get(id)) ?? throw Refusal.Unknown("id", $"no subscription has the id '{id}'");
        if (!user.IsSupervisor())
        {
            user.DemandCity(subscription.CityCode ?? "(all cities)");
        }

        return subscription;
    }

    /// <summary>Ends a subscription; its pending deliveries are dropped.</summary>
    public async Task DeleteAsync(string id, ClaimsPrincipal user)
    {
        await GetAsync(id, user);
        await CallAsync(g => g.Delete(id));
    }

    public async Task<DeliveryPage> DeliveriesAsync(string id, Paging paging, ClaimsPrincipal user)
    {
        await GetAsync(id, user);
        return await CallAsync(g => g.Deliveries(id, paging.Page, paging.PageSize));
    }

    /// <summary>Sends a delivery again with the same id.</summary>
    public async Task RedeliverAsync(string id, Guid deliveryId, ClaimsPrincipal user)
    {
        await GetAsync(id, user);
        if (!await CallAsync(g => g.Redeliver(id, deliveryId)))
        {
            throw Refusal.Unknown("deliveryId", $"subscription {id} has no delivery {deliveryId}");
        }
    }

    /// <summary>A call of the subscription grain, which refuses everything while notifications are unavailable.</summary>
    private async Task<T> CallAsync<T>(Func<ISubscriptionGrain, Task<T>> call)
    {
        try
        {
            return await call(cluster.GetGrain<ISubscriptionGrain>(0));
        }
        catch (NotificationsUnavailableException ex)
        {
            throw Refusal.Unavailable("Notifications unavailable", ex.Message);
        }
    }
}
