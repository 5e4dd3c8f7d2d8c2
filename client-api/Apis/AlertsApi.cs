using System.Globalization;
using System.Net.ServerSentEvents;
using System.Security.Claims;
using Evaluation.ClientApi.Application;
using Evaluation.ClientApi.Exports;
using Evaluation.ClientApi.Security;
using Evaluation.Contracts.Detection;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Evaluation.ClientApi.Apis;

/// <summary>
/// Alerts from detection: the filtered list, a live stream, dismissing one and running detection now. Supervisors
/// see every city; a city officer's city is forced onto the city filter (<see cref="AlertService"/>).
/// </summary>
public static class AlertsApi
{
    /// <summary>How long one wait on the detection grain lasts; well under Orleans' response timeout.</summary>
    private static readonly TimeSpan StreamWait = TimeSpan.FromSeconds(10);

    /// <summary>The event an idle stream sends every wait, which proxies need to keep the connection; it has no data.</summary>
    public const string WaitingEvent = "waiting";

    public static void MapAlertsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/alerts").WithTags("Alerts").RequireAuthorization(Roles.StaffPolicy);
        api.MapGet("/", ListAsync).WithCsvExport("alerts")
            .WithSummary("Alerts, newest and most severe first: state (open, resolved), city, severity (low, medium, high), kind (low-satisfaction, slow-service, sudden-drop, follow-up-overdue, audit-overdue, handling-lag, decline, service-item, channel, slow-vs-peers, backlog-growth), page, pageSize.");
        api.MapGet("/stream", StreamAsync)
            .RequireRateLimiting(AccessControl.StreamsPolicy)
            .WithSummary($"Server-sent events: each newly raised alert as an `alert` event (id = alert id; Last-Event-ID resumes), and a `{WaitingEvent}` event without data while none is. Optional city filter.");
        api.MapPost("/{id}/dismissal", async (string id, DismissAlertRequest body, ClaimsPrincipal user, AlertService alerts) =>
                TypedResults.Ok(await alerts.DismissAsync(id, body.Reason, user)))
            .RequireAuthorization(Roles.SupervisorPolicy)
            .WithSummary("Province supervisor: dismiss an open alert with a reason; detection does not raise it again until the institution recovers.");
        app.MapPost("/api/v1/detection/runs", async (IClusterClient cluster, bool? retrain) =>
                TypedResults.Ok(await cluster.GetGrain<IDetectionGrain>(0).RunNow(retrain ?? false)))
            .WithTags("Alerts")
            .RequireAuthorization(Roles.SupervisorPolicy)
            .WithSummary("Runs detection over every institution now (retrain=true also retrains the model) and answers when finished.");
    }

    private static async Task<Ok<AlertPage>> ListAsync(
        AlertService alerts, ClaimsPrincipal user, string? state, string? city, string? severity, string? kind, int? page, int? pageSize)
    {
        var query = new AlertQuery(
            ContractWords.Parse<AlertState>(state, "state"),
            city,
            ContractWords.Parse<AlertSeverity>(severity, "severity"),
            ContractWords.Parse<AlertReason>(kind, "kind"));
        var paging = Paging.Of(page, pageSize);
        return TypedResults.Ok(await alerts.ListAsync(query with { Page = paging.Page, PageSize = paging.PageSize }, user));
    }

    /// <summary>
    /// The stream for the API and the consoles. Its first event goes out at once, so a client knows it is connected
    /// before the first alert; it ends when the caller's token does, and the client signs in again and resumes.
    /// </summary>
    internal static async Task<ServerSentEventsResult<AlertView?>> StreamAsync(
        AlertService alerts, HttpContext http, TimeProvider timeProvider, string? city)
    {
        var scope = AlertService.CityOf(city, http.User);
        var untilExpiry = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        http.Response.RegisterForDispose(untilExpiry);
        if (long.TryParse(http.User.FindFirst("exp")?.Value, out var exp))
        {
            var left = DateTimeOffset.FromUnixTimeSeconds(exp) - timeProvider.GetUtcNow();
            untilExpiry.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero);
        }

        var resumeAfter = long.TryParse(http.Request.Headers["Last-Event-ID"], out var lastId) && lastId >= 0 ? lastId : (long?)null;
        var position = await alerts.FeedPositionAsync(resumeAfter);
        http.Response.Headers.CacheControl = "no-cache";
        return TypedResults.ServerSentEvents(EventsAsync(alerts.FollowAsync(scope, position, StreamWait, untilExpiry.Token)));
    }

    private static async IAsyncEnumerable<SseItem<AlertView?>> EventsAsync(IAsyncEnumerable<IReadOnlyList<AlertView>> feed)
    {
        var waiting = new SseItem<AlertView?>(null, WaitingEvent);
        yield return waiting;
        await foreach (var raised in feed)
        {
            foreach (var alert in raised)
            {
                yield return new SseItem<AlertView?>(alert, "alert") { EventId = alert.Id.ToString(CultureInfo.InvariantCulture) };
            }

            if (raised.Count == 0)
            {
                yield return waiting;
            }
        }
    }
}

public sealed record DismissAlertRequest(string? Reason);
