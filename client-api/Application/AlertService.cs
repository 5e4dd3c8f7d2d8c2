using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using Evaluation.ClientApi.Security;
using Evaluation.Contracts.Detection;
using Evaluation.Contracts.Grains;

namespace Evaluation.ClientApi.Application;

/// <summary>
/// Alerts as the JSON API and the consoles both see and triage them: the caller's city scope, dismissing one, and
/// claiming one for an audit. Detection answers a refused triage as a value; here it becomes a <see cref="Refusal"/>.
/// </summary>
public sealed class AlertService(IClusterClient cluster)
{
    private IDetectionGrain Detection => cluster.GetGrain<IDetectionGrain>(0);

    /// <summary>One page of the alerts the caller may see: an officer's own city's only.</summary>
    public Task<AlertPage> ListAsync(AlertQuery query, ClaimsPrincipal user) => Detection.GetAlerts(query with { City = CityOf(query.City, user) });

    /// <summary>Where following the alerts starts: after <paramref name="resumeAfter"/> when resuming, else now.</summary>
    public async Task<long> FeedPositionAsync(long? resumeAfter) =>
        resumeAfter ?? (await Detection.WaitForAlerts(-1, TimeSpan.Zero)).Sequence;

    /// <summary>
    /// The alerts raised after <paramref name="position"/> (of <paramref name="city"/>, or all), as they are raised: a
    /// list after each wait of at most <paramref name="wait"/>, empty when none was; ends when <paramref name="until"/> is cancelled.
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyList<AlertView>> FollowAsync(
        string? city, long position, TimeSpan wait, [EnumeratorCancellation] CancellationToken until)
    {
        while (!until.IsCancellationRequested)
        {
            AlertFeedPage page;
            try
            {
                page = await Detection.WaitForAlerts(position, wait).WaitAsync(until);
            }
            catch (OperationCanceledException) when (until.IsCancellationRequested)
            {
                yield break;
            }

            yield return [.. page.Raised.Where(a => city is null || a.CityCode == city)];
            position = page.Sequence;
        }
    }

    /// <summary>A province supervisor dismisses an open alert with a reason.</summary>
    public async Task<AlertView> DismissAsync(string id, string? reason, ClaimsPrincipal user)
    {
        var outcome = await Detection.Dismiss(AlertId(id), reason, user.ActorName());
        return outcome.Alert ?? throw Refused(outcome.Refusal!);
    }

    /// <summary>Claims the alert for the audit about to be opened, so no other audit is opened from it; its id.</summary>
    public async Task<long> ClaimForAuditAsync(string id, string institutionId, string auditId, string reason, ClaimsPrincipal user)
    {
        var alertId = AlertId(id);
        var claim = await Detection.ClaimForAudit(alertId, institutionId, auditId, reason, user.ActorName());
        return claim.Refusal is { } refusal ? throw Refused(refusal) : alertId;
    }

    /// <summary>Gives back the alert claimed for an audit that was not opened after all.</summary>
    public async Task ReleaseClaimAsync(long? alertId, string auditId)
    {
        if (alertId is { } claimed)
        {
            await Detection.ReleaseClaim(claimed, auditId);
        }
    }

    /// <summary>The city an alert list or stream covers for this caller: an officer's own; a code that is not one is refused.</summary>
    public static string? CityOf(string? city, ClaimsPrincipal user)
    {
        var scoped = user.CityFor(city);
        return scoped is null || Scope.IsDivisionCode(scoped)
            ? scoped
            : throw Refusal.Invalid("city", "city must be a 6-digit GB/T 2260 city code, e.g. 440100");
    }

    private static long AlertId(string id) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw Refusal.Invalid("alertId", $"'{id}' is not an alert id (a positive whole number)");

    /// <summary>An alert that is not there is 404; every other refused triage is a bad request naming its field.</summary>
    private static Refusal Refused(TriageRefusal refusal) => refusal.Problem == TriageProblem.NotFound
        ? Refusal.Unknown(refusal.Field, refusal.Message)
        : Refusal.Invalid(refusal.Field, refusal.Message);
}
