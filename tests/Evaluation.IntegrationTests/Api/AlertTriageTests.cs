using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Evaluation.ClientApi.Security;
using Evaluation.Contracts.Registry;
using Evaluation.IntegrationTests.Infrastructure;
using Xunit;

using static Evaluation.IntegrationTests.Api.AlertsApiTests;
using static Evaluation.IntegrationTests.Api.AuditLifecycleTests;

namespace Evaluation.IntegrationTests.Api;

/// <summary>
/// SPEC 3.3's first line on the real system: a planted underperformer alerted by detection, then triaged by a
/// supervisor — an audit opened from the alert and worked to closing with the city, or the alert dismissed — and
/// detection not raising the triaged alert again while the institution is still bad.
/// </summary>
public sealed class AlertTriageTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_audit_opened_from_an_alert_is_worked_to_closing_and_the_alert_names_the_case()
    {
        var (target, peers) = PeerGroups.InDifferentCities(7, group: 0);
        using var supervisor = Client(system, await system.TokenAsync(Roles.Supervisor, name: "sup-li"));
        using var officer = Client(system, await system.TokenAsync(Roles.CityOfficer, target.CityCode, name: "off-wang"));
        await PlantUnderperformerAsync(system, target, peers);
        var alertId = (await DetectUntilAlertedAsync(supervisor, target))["id"]!.GetValue<long>().ToString();

        await AssertProblem(officer, "/api/v1/audits", new { institutionId = target.Id, alertId, reason = "x" }, HttpStatusCode.Forbidden, null);
        await AssertProblem(supervisor, "/api/v1/audits", new { institutionId = peers[0].Id, alertId, reason = "x" }, HttpStatusCode.BadRequest, "alertId");
        await AssertProblem(supervisor, "/api/v1/audits", new { institutionId = target.Id, alertId = "987654", reason = "x" }, HttpStatusCode.NotFound, "alertId");
        await AssertProblem(supervisor, "/api/v1/audits", new { institutionId = target.Id, alertId = "alert-1", reason = "x" }, HttpStatusCode.BadRequest, "alertId");
        await AssertProblem(supervisor, "/api/v1/audits", new { institutionId = target.Id, alertId, reason = " " }, HttpStatusCode.BadRequest, "reason");
        Assert.Equal("open", (await AlertAsync(supervisor, target, alertId))["state"]!.GetValue<string>());

        var opened = await Send(supervisor, "/api/v1/audits", new { institutionId = target.Id, alertId, reason = "差评率 far above peers" }, HttpStatusCode.Created);
        var caseId = opened["id"]!.GetValue<string>();
        Assert.Equal(alertId, opened["alertId"]!.GetValue<string>());
        Assert.Equal(target.CityCode, opened["cityCode"]!.GetValue<string>());
        await AssertProblem(supervisor, "/api/v1/audits", new { institutionId = target.Id, alertId, reason = "again" }, HttpStatusCode.BadRequest, "alertId");

        await Step(officer, caseId, "analysis", "weekend staffing too thin", "city-analysing");
        await Step(officer, caseId, "rectification", "two more staff on Mondays", "rectifying");
        await Step(officer, caseId, "submission", "roster changed", "submitted");
        await Step(supervisor, caseId, "rejection", "no evidence the roster is followed", "rejected");
        await Step(officer, caseId, "rectification", "roster checked daily by the director", "rectifying");
        await Step(officer, caseId, "submission", "sign-in sheets attached", "submitted");
        await Step(supervisor, caseId, "verification", null, "verified");

        var closed = await supervisor.GetFromJsonAsync<JsonObject>($"/api/v1/audits/{caseId}", Ct);
        Assert.Equal(
            ["opened", "analysis", "rectification", "submission", "rejection", "rectification", "submission", "verification"],
            closed!["history"]!.AsArray().Select(h => h!["step"]!.GetValue<string>()));

        // Still underperforming: detection keeps the audited alert as the institution's one alert instead of a new one.
        await RunDetectionAsync(supervisor);
        Assert.Empty(await OpenAlertsOfAsync(supervisor, target));
        foreach (var reader in new[] { supervisor, officer })
        {
            var alert = await AlertAsync(reader, target, alertId);
            Assert.Equal("audit-opened", alert["state"]!.GetValue<string>());
            Assert.Equal(caseId, alert["triage"]!["caseId"]!.GetValue<string>());
            Assert.Equal("sup-li", alert["triage"]!["actor"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task A_dismissed_alert_records_who_when_and_why_and_is_not_raised_again_while_the_institution_is_still_bad()
    {
        var (target, peers) = PeerGroups.InDifferentCities(7, group: 1);
        using var supervisor = Client(system, await system.TokenAsync(Roles.Supervisor, name: "sup-zhao"));
        using var officer = Client(system, await system.TokenAsync(Roles.CityOfficer, target.CityCode, name: "off-chen"));
        await PlantUnderperformerAsync(system, target, peers);
        var alertId = (await DetectUntilAlertedAsync(supervisor, target))["id"]!.GetValue<long>().ToString();
        var url = $"/api/v1/alerts/{alertId}/dismissal";

        await AssertProblem(officer, url, new { reason = "not ours" }, HttpStatusCode.Forbidden, null);
        await AssertProblem(supervisor, url, new { reason = "" }, HttpStatusCode.BadRequest, "reason");
        await AssertProblem(supervisor, "/api/v1/alerts/987654/dismissal", new { reason = "known" }, HttpStatusCode.NotFound, "alertId");
        await AssertProblem(supervisor, "/api/v1/alerts/first/dismissal", new { reason = "known" }, HttpStatusCode.BadRequest, "alertId");

        var before = DateTimeOffset.UtcNow;
        var dismissed = await Send(supervisor, url, new { reason = "renovation week, ratings expected to recover" }, HttpStatusCode.OK);
        Assert.Equal("dismissed", dismissed["state"]!.GetValue<string>());
        Assert.Equal("sup-zhao", dismissed["triage"]!["actor"]!.GetValue<string>());
        Assert.Equal("renovation week, ratings expected to recover", dismissed["triage"]!["reason"]!.GetValue<string>());
        Assert.InRange(dismissed["triage"]!["at"]!.GetValue<DateTimeOffset>(), before.AddSeconds(-5), DateTimeOffset.UtcNow.AddSeconds(5));

        await RunDetectionAsync(supervisor);
        Assert.Empty(await OpenAlertsOfAsync(supervisor, target));
        Assert.Equal("dismissed", (await AlertAsync(supervisor, target, alertId))["state"]!.GetValue<string>());
        await AssertProblem(supervisor, url, new { reason = "again" }, HttpStatusCode.BadRequest, "alertId");
        await AssertProblem(supervisor, "/api/v1/audits", new { institutionId = target.Id, alertId, reason = "after all" }, HttpStatusCode.BadRequest, "alertId");
    }

    private static async Task RunDetectionAsync(HttpClient supervisor)
    {
        using var run = await supervisor.PostAsync("/api/v1/detection/runs", null, Ct);
        Assert.Equal(HttpStatusCode.OK, run.StatusCode);
    }

    private static async Task<IReadOnlyList<JsonNode>> OpenAlertsOfAsync(HttpClient client, Institution target)
    {
        var page = await client.GetFromJsonAsync<JsonObject>($"/api/v1/alerts?state=open&city={target.CityCode}&pageSize=100", Ct);
        return [.. page!["items"]!.AsArray().Where(a => a!["institutionId"]!.GetValue<string>() == target.Id).Select(a => a!)];
    }

    private static async Task<JsonObject> AlertAsync(HttpClient client, Institution target, string alertId)
    {
        var page = await client.GetFromJsonAsync<JsonObject>($"/api/v1/alerts?city={target.CityCode}&pageSize=100", Ct);
        return page!["items"]!.AsArray().Single(a => a!["id"]!.GetValue<long>().ToString() == alertId)!.AsObject();
    }

    /// <summary>The status, and for a bad request or a missing alert the field the problem details name.</summary>
    private static async Task AssertProblem(HttpClient client, string url, object body, HttpStatusCode status, string? field)
    {
        using var response = await client.PostAsJsonAsync(url, body, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(status == response.StatusCode, $"POST {url}: {(int)response.StatusCode} {text}");
        if (field is not null)
        {
            Assert.Equal(field, JsonNode.Parse(text)!["errors"]![0]!["field"]!.GetValue<string>());
        }
    }
}
