using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Evaluation.ClientApi.Exports;
using Evaluation.ClientApi.Security;
using Evaluation.Contracts.Detection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Evaluation.ClientApi.Apis;

/// <summary>
/// Alerts from detection: the filtered list, a live stream, and running detection now. Open for now; roles
/// (province supervisor, city officer) wrap these later, and the city filter is a plain parameter so a city
/// officer's scope can be forced onto it.
/// </summary>
public static class AlertsApi
{
    /// <summary>How long one wait on the detection grain lasts; well under Orleans' response timeout.</summary>
    private static readonly TimeSpan StreamWait = TimeSpan.FromSeconds(10);

    public static void MapAlertsApi(this IEndpointRouteBuilder app)
    {
        // Supervisors see every city; a city officer's city is forced onto the city filter.
        var alerts = app.MapGroup("/api/v1/alerts").WithTags("Alerts").RequireAuthorization(Roles.StaffPolicy);
        alerts.MapGet("/", List).WithCsvExport("alerts")
            .WithSummary("Alerts, newest and most severe first: state (open, resolved), city, severity (low, medium, high), kind (low-satisfaction, slow-service, sudden-drop, follow-up-overdue, audit-overdue, handling-lag, decline, service-item, channel, slow-vs-peers, backlog-growth), page, pageSize.");
        alerts.MapGet("/stream", Stream)
            .RequireRateLimiting(AccessControl.StreamsPolicy)
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .WithSummary("Server-sent events: each newly raised alert as an `alert` event (id = alert id; Last-Event-ID resumes). Optional city filter.");
        alerts.MapPost("/{id}/dismissal", Dismiss)
            .RequireAuthorization(Roles.SupervisorPolicy)
            .WithSummary("Province supervisor: dismiss an open alert with a reason; detection does not raise it again until the institution recovers.");
        app.MapPost("/api/v1/detection/runs", Run)
            .WithTags("Alerts")
            .RequireAuthorization(Roles.SupervisorPolicy)
            .WithSummary("Runs detection over every institution now (retrain=true also retrains the model) and answers when finished.");
    }

    private static async Task<Results<Ok<AlertPage>, ProblemHttpResult>> List(
        IClusterClient cluster, ClaimsPrincipal user, string? state, string? city, string? severity, string? kind, int? page, int? pageSize)
    {
        if (ScopeToCaller(user, ref city) is { } notYours)
        {
            return notYours;
        }

        if (!TryParse<AlertState>(state, out var parsedState))
        {
            return BadQuery("state", $"state must be one of {Choices<AlertState>()}");
        }

        if (!TryParse<AlertSeverity>(severity, out var parsedSeverity))
        {
            return BadQuery("severity", $"severity must be one of {Choices<AlertSeverity>()}");
        }

        if (!TryParse<AlertReason>(kind, out var parsedKind))
        {
            return BadQuery("kind", $"kind must be one of {Choices<AlertReason>()}");
        }

        if (city is not null && !IsDivisionCode(city))
        {
            return BadQuery("city", "city must be a 6-digit GB/T 2260 city code, e.g. 440100");
        }

        if (page is < 1)
        {
            return BadQuery("page", "page counts from 1");
        }

        if (pageSize is < 1 or > 100)
        {
            return BadQuery("pageSize", "pageSize must be from 1 to 100");
        }

        var query = new AlertQuery(parsedState, city, parsedSeverity, parsedKind, page ?? 1, pageSize ?? 20);
        return TypedResults.Ok(await cluster.GetGrain<IDetectionGrain>(0).GetAlerts(query));
    }

    internal static async Task<Results<Ok<AlertView>, ProblemHttpResult>> Dismiss(
        string id, DismissAlertRequest body, IClusterClient cluster, ClaimsPrincipal user)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var alertId))
        {
            return CaseResults.Invalid("alertId", $"'{id}' is not an alert id (a positive whole number)");
        }

        var outcome = await cluster.GetGrain<IDetectionGrain>(0).Dismiss(alertId, body.Reason, user.ActorName());
        return outcome.Alert is { } dismissed ? TypedResults.Ok(dismissed) : CaseResults.TriageRefused(outcome.Refusal!);
    }

    private static async Task<Ok<DetectionRunResult>> Run(IClusterClient cluster, bool? retrain) =>
        TypedResults.Ok(await cluster.GetGrain<IDetectionGrain>(0).RunNow(retrain ?? false));

    /// <summary>
    /// Written by hand rather than as a typed result so the headers go out at once (a client knows it is connected
    /// before the first alert) and an idle connection gets a comment line every wait, which proxies need to keep it.
    /// </summary>
    internal static async Task Stream(IClusterClient cluster, HttpContext http, IOptions<JsonOptions> json, TimeProvider timeProvider, string? city)
    {
        if (ScopeToCaller(http.User, ref city) is { } notYours)
        {
            await notYours.ExecuteAsync(http);
            return;
        }

        if (city is not null && !IsDivisionCode(city))
        {
            await BadQuery("city", "city must be a 6-digit GB/T 2260 city code, e.g. 440100").ExecuteAsync(http);
            return;
        }

        // The stream ends when the caller's token does; the client signs in again and resumes with Last-Event-ID.
        using var untilExpiry = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        if (long.TryParse(http.User.FindFirst("exp")?.Value, out var exp))
        {
            var left = DateTimeOffset.FromUnixTimeSeconds(exp) - timeProvider.GetUtcNow();
            untilExpiry.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero);
        }

        var detection = cluster.GetGrain<IDetectionGrain>(0);
        var aborted = untilExpiry.Token;
        var sequence = long.TryParse(http.Request.Headers["Last-Event-ID"], out var lastId) && lastId >= 0
            ? lastId
            : (await detection.WaitForAlerts(-1, TimeSpan.Zero)).Sequence;
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        await http.Response.Body.FlushAsync(aborted);
        try
        {
            while (!aborted.IsCancellationRequested)
            {
                var page = await detection.WaitForAlerts(sequence, StreamWait).WaitAsync(aborted);
                var sent = false;
                foreach (var alert in page.Raised.Where(a => city is null || a.CityCode == city))
                {
                    var data = JsonSerializer.Serialize(alert, json.Value.SerializerOptions);
                    await http.Response.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"id: {alert.Id}\nevent: alert\ndata: {data}\n\n"), aborted);
                    sent = true;
                }

                if (!sent)
                {
                    await http.Response.WriteAsync(": waiting\n\n", aborted);
                }

                await http.Response.Body.FlushAsync(aborted);
                sequence = page.Sequence;
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away, or its token expired; nothing to answer.
        }
    }

    /// <summary>An officer's own city replaces an absent city filter; another city is refused (the answer).</summary>
    private static ProblemHttpResult? ScopeToCaller(ClaimsPrincipal user, ref string? city)
    {
        if (user.ConfinedToCity() is not { } own)
        {
            return null;
        }

        if (city is not null && city != own)
        {
            return CaseResults.NotYourCity(city);
        }

        city = own;
        return null;
    }

    private static bool IsDivisionCode(string code) => code.Length == 6 && code.All(char.IsAsciiDigit);

    private static bool TryParse<T>(string? text, out T? value)
        where T : struct, Enum
    {
        value = null;
        if (text is null)
        {
            return true;
        }

        foreach (var candidate in Enum.GetValues<T>())
        {
            if (string.Equals(Name(candidate), text, StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }

        return false;
    }

    private static string Choices<T>()
        where T : struct, Enum => string.Join(", ", Enum.GetValues<T>().Select(v => Name(v)));

    private static string Name<T>(T value)
        where T : struct, Enum => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    private static ProblemHttpResult BadQuery(string parameter, string rule) =>
        TypedResults.Problem(
            title: "Invalid query parameter",
            detail: rule,
            statusCode: StatusCodes.Status400BadRequest,
            extensions: new Dictionary<string, object?> { ["errors"] = new[] { new { field = parameter, message = rule } } });
}

public sealed record DismissAlertRequest(string? Reason);
