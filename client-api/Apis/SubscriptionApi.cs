using System.Security.Claims;
using Evaluation.ClientApi.Application;
using Evaluation.ClientApi.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Evaluation.ClientApi.Apis;

/// <summary>
/// Notification subscriptions (SPEC 4.5.2): webhooks signed with a per-subscription secret, or e-mail. A supervisor
/// subscribes to any city or all; an officer to their own city only, and sees and manages their city's subscriptions.
/// The work is <see cref="SubscriptionService"/>'s, which the consoles use too.
/// </summary>
public static class SubscriptionApi
{
    public static void MapSubscriptionApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/subscriptions").WithTags("Notifications").RequireAuthorization(Roles.StaffPolicy);
        api.MapPost("/", CreateAsync)
            .WithSummary("Subscribe a webhook (`url`) or an e-mail address (`email`) to event types; answers the signing secret once.");
        api.MapGet("/", async (string? city, ClaimsPrincipal user, SubscriptionService subscriptions) => TypedResults.Ok(await subscriptions.ListAsync(city, user)))
            .WithSummary("The subscriptions the caller may see: all (or `?city=`) for supervisors, their city's for officers.");
        api.MapGet("/{id}", async (string id, ClaimsPrincipal user, SubscriptionService subscriptions) => TypedResults.Ok(await subscriptions.GetAsync(id, user)))
            .WithSummary("One subscription with counts of pending, delivered and dead deliveries.");
        api.MapDelete("/{id}", async (string id, ClaimsPrincipal user, SubscriptionService subscriptions) =>
            {
                await subscriptions.DeleteAsync(id, user);
                return TypedResults.NoContent();
            })
            .WithSummary("Ends a subscription; its pending deliveries are dropped.");
        api.MapGet("/{id}/deliveries", async (string id, int? page, int? pageSize, ClaimsPrincipal user, SubscriptionService subscriptions) =>
                TypedResults.Ok(await subscriptions.DeliveriesAsync(id, Paging.Of(page, pageSize), user)))
            .WithSummary("The subscription's deliveries, newest first, each with its attempts.");
        api.MapPost("/{id}/deliveries/{deliveryId:guid}/redeliver", async (string id, Guid deliveryId, ClaimsPrincipal user, SubscriptionService subscriptions) =>
            {
                await subscriptions.RedeliverAsync(id, deliveryId, user);
                return TypedResults.Accepted($"/api/v1/subscriptions/{id}/deliveries");
            })
            .WithSummary("Sends a delivery again with the same id (pending now, with a fresh dead-letter deadline).");
    }

    private static async Task<Created<SubscriptionCreated>> CreateAsync(SubscriptionRequest body, ClaimsPrincipal user, SubscriptionService subscriptions)
    {
        var created = await subscriptions.CreateAsync(body, user);
        return TypedResults.Created($"/api/v1/subscriptions/{created.Id}", created);
    }
}

/// <summary>A subscription request: exactly one of <see cref="Url"/> and <see cref="Email"/>.</summary>
public sealed record SubscriptionRequest(string? Url, string? Email, IReadOnlyList<string>? Events, string? City);

/// <summary>The answer to a new subscription; <see cref="Secret"/> (webhooks only) is never shown again.</summary>
public sealed record SubscriptionCreated(
    string Id, string? Secret, string? Url, string? Email, IReadOnlyList<string> Events, string? City, DateTimeOffset CreatedAt);
