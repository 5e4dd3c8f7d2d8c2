using System.Globalization;
using System.Security.Claims;
using Evaluation.ClientApi.Apis;
using Evaluation.Contracts.Cases;
using Evaluation.Contracts.Grains;

namespace Evaluation.ClientApi.Application;

/// <summary>
/// Audits (督查) as the JSON API and the consoles both take them: the caller's city scope, opening from an alert
/// (claimed first), and the steps of the state machine, which lives in the domain. Refuses with <see cref="Refusal"/>.
/// </summary>
public sealed class AuditService(IClusterClient cluster, AlertService alerts)
{
    /// <summary>Opens an audit of an institution, assigned to its city; from an alert, the alert is claimed for it first.</summary>
    public async Task<AuditCase> OpenAsync(OpenAuditRequest body, ClaimsPrincipal user)
    {
        if (string.IsNullOrWhiteSpace(body.InstitutionId))
        {
            throw Refusal.Invalid("institutionId", "institutionId is required");
        }

        if (await cluster.GetGrain<IDirectoryGrain>(0).Find(body.InstitutionId) is not { } institution)
        {
            throw Refusal.Invalid("institutionId", $"no institution has the id '{body.InstitutionId}'");
        }

        var id = $"aud-{DateTimeOffset.UtcNow:yyyyMMdd}-{Guid.NewGuid().ToString("N")[..10]}";
        long? alertId = null;
        if (body.AlertId is not null)
        {
            // Claimed before the case exists, so two supervisors cannot open two audits from one alert.
            alertId = await alerts.ClaimForAuditAsync(body.AlertId, institution.Id, id, body.Reason ?? "", user);
        }

        var command = new OpenAudit(
            institution.Id, institution.CityCode, alertId?.ToString(CultureInfo.InvariantCulture), body.Reason ?? "", user.Actor(), body.Deadline);
        try
        {
            return await cluster.GetGrain<IAuditCaseGrain>(id).Open(command);
        }
        catch (AuditRefusedException ex)
        {
            await alerts.ReleaseClaimAsync(alertId, id);
            throw Refusal.Invalid("Invalid request", Refusal.FieldOf(ex.Message), ex.Message);
        }
        catch
        {
            // The alert claimed for the case is given back, so it never names a case that does not exist.
            await alerts.ReleaseClaimAsync(alertId, id);
            throw;
        }
    }

    /// <summary>One page of the audits the caller may see: an officer's own city's only.</summary>
    public async Task<AuditPage> ListAsync(AuditQuery query, ClaimsPrincipal user) =>
        await cluster.GetGrain<IAuditIndexGrain>(AuditIndex.Key).Query(query with { City = user.CityFor(query.City) });

    public async Task<AuditCase> GetAsync(string id, ClaimsPrincipal user)
    {
        var found = await cluster.GetGrain<IAuditCaseGrain>(id).Get() ?? throw Refusal.NotFound($"No audit has the id '{id}'.");
        user.DemandCity(found.CityCode);
        return found;
    }

    /// <summary>Takes one step of the case; a step that does not fit the case now is refused 409 with the domain's reason.</summary>
    public async Task<AuditCase> ActAsync(string id, AuditStep step, AuditStepRequest body, ClaimsPrincipal user)
    {
        await GetAsync(id, user);
        try
        {
            return await cluster.GetGrain<IAuditCaseGrain>(id).Act(new AuditCommand(step, user.Actor(), body.Note, Attachments(body.Attachments), body.Deadline));
        }
        catch (AuditRefusedException ex)
        {
            throw Refusal.Conflict(ex.Message);
        }
    }

    /// <summary>The metadata of attached files as the case records them.</summary>
    public static List<Attachment> Attachments(IReadOnlyList<AttachmentRequest>? attachments) =>
        [.. (attachments ?? []).Select(a => new Attachment(a.Name ?? "", a.ContentType, a.SizeBytes, a.Sha256))];
}
