using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Evaluation.ClientApi.Security;
using Evaluation.Grains.Registry;
using Evaluation.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Evaluation.IntegrationTests.Api;

/// <summary>
/// An audit through the whole loop on the real system: opened by the province, worked by the city, rejected
/// once, escalated when overdue by a reminder that was registered before a full cluster restart, verified.
/// </summary>
public sealed class AuditLifecycleTests
{
    private const string City = "440100";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Opened_analysed_rectified_rejected_escalated_after_a_restart_and_verified()
    {
        // Monday 23 November 2026, 10:00 in Shanghai; case time moves only when the test says so.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.FromHours(8)));
        await using var system = new RunningSystem { CaseTime = new CaseTime(clock, TimeSpan.FromSeconds(1)) };
        await system.InitializeAsync();
        var institution = ShippedRegistry.Sample.Institutions.First(i => i.CityCode == City);
        using var supervisor = Client(system, await system.TokenAsync(Roles.Supervisor, name: "sup-li"));
        using var officer = Client(system, await system.TokenAsync(Roles.CityOfficer, City, name: "off-wang"));

        var opened = await Send(supervisor, "/api/v1/audits", new { institutionId = institution.Id, reason = "差评率 far above peers" }, HttpStatusCode.Created);
        var id = opened["id"]!.GetValue<string>();
        Assert.Equal(City, opened["cityCode"]!.GetValue<string>());
        Assert.Equal("opened", opened["state"]!.GetValue<string>());
        // 15 working days from Monday 23 November end with Monday 14 December.
        Assert.Equal(new DateTimeOffset(2026, 12, 15, 0, 0, 0, TimeSpan.FromHours(8)), opened["deadline"]!.GetValue<DateTimeOffset>());

        await Step(officer, id, "analysis", "weekend staffing too thin", "city-analysing");
        await Step(officer, id, "rectification", "two more staff on Mondays", "rectifying");
        await Step(officer, id, "submission", "roster changed", "submitted", attachments: [new { name = "roster.pdf", contentType = "application/pdf", sizeBytes = 20480 }]);
        await Step(supervisor, id, "rejection", "no evidence the roster is followed", "rejected");
        using (var refused = await supervisor.PostAsJsonAsync($"/api/v1/audits/{id}/verification", new { }, Ct))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains("next possible: 'rectification'", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        var dueSoon = await ListIds(supervisor, "/api/v1/audits/due-soon?days=3");
        Assert.DoesNotContain(id, dueSoon);

        // Nothing touches the case grain from here until its reminder fires on the new silos.
        await system.Cluster.RestartAllAsync();
        clock.Advance(TimeSpan.FromDays(22));

        var escalated = await Eventually(async () =>
        {
            var page = await TryGet(supervisor, "/api/v1/audits?overdue=true");
            return page?["items"]!.AsArray().FirstOrDefault(i => i!["id"]!.GetValue<string>() == id && i["escalated"]!.GetValue<bool>());
        }, "the deadline reminder to escalate the overdue case after the restart");
        Assert.Equal("rejected", escalated["state"]!.GetValue<string>());
        Assert.Contains(id, await ListIds(officer, "/api/v1/audits/overdue"));

        await Step(officer, id, "rectification", "roster checked daily by the director", "rectifying");
        await Step(officer, id, "submission", "sign-in sheets attached", "submitted");
        var verified = await Step(supervisor, id, "verification", null, "verified");
        Assert.Equal(clock.GetUtcNow().AddDays(90), verified["watchUntil"]!.GetValue<DateTimeOffset>());
        Assert.DoesNotContain(id, await ListIds(supervisor, "/api/v1/audits/overdue"));

        var detail = await supervisor.GetFromJsonAsync<JsonObject>($"/api/v1/audits/{id}", Ct);
        var history = detail!["history"]!.AsArray();
        Assert.Equal(
            ["opened", "analysis", "rectification", "submission", "rejection", "escalation", "rectification", "submission", "verification"],
            history.Select(h => h!["step"]!.GetValue<string>()));
        Assert.Equal(["sup-li", "off-wang", "off-wang", "off-wang", "sup-li", "system", "off-wang", "off-wang", "sup-li"],
            history.Select(h => h!["actor"]!.GetValue<string>()));
        Assert.Equal("roster.pdf", history[3]!["attachments"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("no evidence the roster is followed", history[4]!["note"]!.GetValue<string>());
    }

    internal static HttpClient Client(RunningSystem system, string token)
    {
        var client = system.AnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    internal static async Task<JsonObject> Step(HttpClient client, string id, string step, string? note, string expectedState, object[]? attachments = null)
    {
        var answer = await Send(client, $"/api/v1/audits/{id}/{step}", new { note, attachments }, HttpStatusCode.OK);
        Assert.Equal(expectedState, answer["state"]!.GetValue<string>());
        return answer;
    }

    internal static async Task<JsonObject> Send(HttpClient client, string url, object body, HttpStatusCode expected)
    {
        using var response = await client.PostAsJsonAsync(url, body, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(expected == response.StatusCode, $"POST {url}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    private static async Task<IReadOnlyList<string>> ListIds(HttpClient client, string url)
    {
        var page = await client.GetFromJsonAsync<JsonObject>(url, Ct);
        return page!["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ToList();
    }

    /// <summary>Null while the API cannot yet reach the restarted cluster.</summary>
    private static async Task<JsonObject?> TryGet(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url, Ct);
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonObject>(Ct) : null;
    }

    private static async Task<JsonNode> Eventually(Func<Task<JsonNode?>> probe, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await probe() is { } found)
                {
                    return found;
                }
            }
            catch (HttpRequestException)
            {
                // The API answers again once it has found the new gateways.
            }

            await Task.Delay(250, Ct);
        }

        Assert.Fail($"Waited {Patience.TotalSeconds} s for {what}.");
        return null!;
    }
}
