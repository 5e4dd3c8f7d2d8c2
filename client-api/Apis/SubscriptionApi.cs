using System.Security.Claims;
using Evaluation.ClientApi.Security;
using Evaluation.Contracts.Notifications;
using Microsoft.AspNetCore.Http.HttpResults;

using static Evaluation.ClientApi.Apis.CaseResults;

namespace Evaluation.ClientApi.Apis;

/// <summary>
/// Notification subscriptions (SPEC 4.5.2): webhooks signed with a per-subscription secret, or e-mail. A supervisor
/// subscribes to any city or all; an officer to their own city only, and sees and manages their city's subscriptions.
/// </summary>
public static class SubscriptionApi
{
    private const int MaxPageSize = 100;

    public static void MapSubscriptionApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/subscriptions").WithTags("Notifications").RequireAuthorization(Roles.StaffPolicy);
        api.MapPost("/", CreateAsync)
            .WithSummary("Subscribe a webhook (`url`) or an e-mail address (`email`) to event types; answers the signing secret once.");
        api.MapGet("/", ListAsync).WithSummary("The subscriptions the caller may see: all (or `?city=`) for supervisors, their city's for officers.");
        api.MapGet("/{id}", GetAsync).WithSummary("One subscription with counts of pending, delivered and dead deliveries.");
        api.MapDelete("/{id}", DeleteAsync).WithSummary("Ends a subscription; its pending deliveries are dropped.");
        api.MapGet("/{id}/deliveries", DeliveriesAsync).WithSummary("The subscription's deliveries, newest first, each with its attempts.");
        api.MapPost("/{id}/deliveries/{deliveryId:guid}/redeliver", RedeliverAsync)
            .WithSummary("Sends a delivery again with the same id (pending now, with a fresh dead-letter deadline).");
    }

    internal static async Task<Results<Created<SubscriptionCreated>, ProblemHttpResult>> CreateAsync(
        SubscriptionRequest body, ClaimsPrincipal user, IClusterClient cluster, IHostEnvironment environment, IConfiguration configuration)
    {
        var city = body.City ?? user.ConfinedToCity();
        if (city is not null && !user.MayAccessCity(city))
        {
            return NotYourCity(city);
        }

        var request = new NewSubscription(body.Url, body.Email, body.Events ?? [], city);

        // Plain-http webhooks only where the API host runs in Development (or the operator says so explicitly).
        var allowHttp = configuration.GetValue<bool?>("Evaluation:Notifications:AllowHttp") ?? environment.IsDevelopment();
        try
        {
            var outcome = await cluster.GetGrain<ISubscriptionGrain>(0).Create(request, AuditApi.Caller(user), allowHttp);
            if (outcome.Created is not { } created)
            {
                return TypedResults.Problem(
                    title: "Invalid request",
                    detail: string.Join("; ", outcome.Problems.Select(p => $"{p.Field}: {p.Message}")),
                    statusCode: StatusCodes.Status400BadRequest,
                    extensions: new Dictionary<string, object?> { ["errors"] = outcome.Problems.Select(p => new { field = p.Field, message = p.Message }).ToArray() });
            }

            var s = created.Subscription;
            return TypedResults.Created($"/api/v1/subscriptions/{s.Id}",
                new SubscriptionCreated(s.Id, created.Secret.Length > 0 ? created.Secret : null, s.Url, s.Email, s.Events, s.CityCode, s.CreatedAt));
        }
        catch (NotificationsUnavailableException ex)
        {
            return Unavailable(ex);
        }
    }

    internal static async Task<Results<Ok<IReadOnlyList<SubscriptionView>>, ProblemHttpResult>> ListAsync(string? city, ClaimsPrincipal user, IClusterClient cluster)
    {
        var scope = user.ConfinedToCity() ?? city;
        try
        {
            return TypedResults.Ok(await cluster.GetGrain<ISubscriptionGrain>(0).List(scope));
        }
        catch (NotificationsUnavailableException ex)
        {
            return Unavailable(ex);
        }
    }

    private static async Task<Results<Ok<SubscriptionView>, ProblemHttpResult>> GetAsync(string id, ClaimsPrincipal user, IClusterClient cluster)
    {
        var (subscription, refusal) = await FindAsync(id, user, cluster);
        return refusal ?? (Results<Ok<SubscriptionView>, ProblemHttpResult>)TypedResults.Ok(subscription!);
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, ClaimsPrincipal user, IClusterClient cluster)
    {
        var (_, refusal) = await FindAsync(id, user, cluster);
        if (refusal is not null)
        {
            return refusal;
        }

        await cluster.GetGrain<ISubscriptionGrain>(0).Delete(id);
        return TypedResults.NoContent();
    }

    internal static async Task<Results<Ok<DeliveryPage>, ProblemHttpResult>> DeliveriesAsync(
        string id, int? page, int? pageSize, ClaimsPrincipal user, IClusterClient cluster)
    {
        if (page is < 1)
        {
            return Invalid("page", "page starts at 1");
        }

        if (pageSize is < 1 or > MaxPageSize)
        {
            return Invalid("pageSize", $"pageSize is 1–{MaxPageSize}");
        }

        var (_, refusal) = await FindAsync(id, user, cluster);
        return refusal ?? (Results<Ok<DeliveryPage>, ProblemHttpResult>)TypedResults.Ok(
            await cluster.GetGrain<ISubscriptionGrain>(0).Deliveries(id, page ?? 1, pageSize ?? 20));
    }

    internal static async Task<Results<Accepted, ProblemHttpResult>> RedeliverAsync(string id, Guid deliveryId, ClaimsPrincipal user, IClusterClient cluster)
    {
        var (_, refusal) = await FindAsync(id, user, cluster);
        if (refusal is not null)
        {
            return refusal;
        }

        return await cluster.GetGrain<ISubscriptionGrain>(0).Redeliver(id, deliveryId)
            ? TypedResults.Accepted($"/api/v1/subscriptions/{id}/deliveries")
            : NotFound($"deliveryId: subscription {id} has no delivery {deliveryId}");
    }

    /// <summary>The subscription if the caller may manage it: 404 when there is none, 403 when it is another city's.</summary>
    private static async Task<(SubscriptionView? Subscription, ProblemHttpResult? Refusal)> FindAsync(string id, ClaimsPrincipal user, IClusterClient cluster)
    {
        try
        {
            var subscription = await cluster.GetGrain<ISubscriptionGrain>(0).Get(id);
            if (subscription is null)
            {
                return (null, NotFound($"id: no subscription has the id '{id}'"));
            }

            return user.IsSupervisor() || (subscription.CityCode is { } city && user.MayAccessCity(city))
                ? (subscription, null)
                : (null, NotYourCity(subscription.CityCode ?? "(all cities)"));
        }
        catch (NotificationsUnavailableException ex)
        {
            return (null, Unavailable(ex));
        }
    }

    private static ProblemHttpResult Unavailable(NotificationsUnavailableException ex) =>
        TypedResults.Problem(title: "Notifications unavailable", detail: ex.Message, statusCode: StatusCodes.Status503ServiceUnavailable);
}

/// <summary>A subscription request: exactly one of <see cref="Url"/> and <see cref="Email"/>.</summary>
public sealed record SubscriptionRequest(string? Url, string? Email, IReadOnlyList<string>? Events, string? City);

/// <summary>The answer to a new subscription; <see cref="Secret"/> (webhooks only) is never shown again.</summary>
public sealed record SubscriptionCreated(
    string Id, string? Secret, string? Url, string? Email, IReadOnlyList<string> Events, string? City, DateTimeOffset CreatedAt);
