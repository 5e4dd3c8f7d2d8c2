using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Evaluation.ClientApi.Security;
using Evaluation.Grains.Registry;
using Evaluation.IntegrationTests.Infrastructure;
using Xunit;

namespace Evaluation.IntegrationTests.Api;

/// <summary>
/// An officer of one city tries every way the API offers to another city's 差评 work: reading, listing, filtering,
/// revealing, acting, and the supervisor's lists. Every request is refused, none with a 5xx, and nothing changes.
/// </summary>
public sealed class CrossCityTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private const string City = "440100";
    private const string Stranger = "440300";
    private const string Id = "cross-bad-1";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Another_citys_officer_reaches_none_of_a_citys_follow_ups()
    {
        var institution = ShippedRegistry.Sample.Institutions.First(i => i.CityCode == City && i.Channels.Count > 0 && i.Services.Count > 0);
        var bad = IngestionApiTests.Rating(Id, institution, level: 1);
        bad["realName"] = true;
        bad["contact"] = new JsonObject { ["name"] = "跨市测试人", ["phone"] = "13800007777" };
        using (var posted = await system.Client.PostAsJsonAsync("/api/v1/evaluations", IngestionApiTests.Batch([bad]), Ct))
        {
            Assert.Equal(1, (await posted.Content.ReadFromJsonAsync<JsonObject>(Ct))!["accepted"]!.GetValue<int>());
        }

        using var owner = await system.StaffClientAsync(Roles.CityOfficer, City);
        using var stranger = await system.StaffClientAsync(Roles.CityOfficer, Stranger);
        await StaffWork.EventuallyAsync(async () => (await owner.GetAsync($"/api/v1/follow-ups/{Id}", Ct)).StatusCode == HttpStatusCode.OK, "the follow-up to open");

        var note = new { note = "not mine", outcome = "justified" };
        var attempts = new List<(string What, Func<Task<HttpResponseMessage>> Send)>
        {
            ("read the follow-up", () => stranger.GetAsync($"/api/v1/follow-ups/{Id}", Ct)),
            ("reveal the contact", () => stranger.GetAsync($"/api/v1/follow-ups/{Id}/contact", Ct)),
            ("list the city's follow-ups", () => stranger.GetAsync($"/api/v1/follow-ups?city={City}", Ct)),
            ("list the city's overdue queue", () => stranger.GetAsync($"/api/v1/follow-ups?city={City}&order=due&open=true&overdue=true", Ct)),
            ("list the city's contact reveals", () => stranger.GetAsync($"/api/v1/follow-ups/contact-reveals?city={City}", Ct)),
            ("list the appeals of every city", () => stranger.GetAsync("/api/v1/follow-ups/appeals", Ct)),
            ("list the city's alerts", () => stranger.GetAsync($"/api/v1/alerts?city={City}", Ct)),
            ("list the city's audits", () => stranger.GetAsync($"/api/v1/audits?city={City}", Ct)),
            ("reseal contacts", () => stranger.PostAsync("/api/v1/admin/contact-keys/reseal", null, Ct)),
        };
        foreach (var step in new[] { "call-back", "plan", "rectify", "feedback", "appeal", "uphold", "dismiss" })
        {
            attempts.Add(($"take '{step}'", () => stranger.PostAsJsonAsync($"/api/v1/follow-ups/{Id}/{step}", note, Ct)));
        }

        var refused = 0;
        foreach (var (what, send) in attempts)
        {
            using var response = await send();
            Assert.True(response.StatusCode is HttpStatusCode.Forbidden, $"another city's officer tried to {what}: {(int)response.StatusCode}");
            refused++;
        }

        // Nothing they tried left a trace: the follow-up is untouched and nobody but its own officer ever saw the contact.
        var followUp = (await owner.GetFromJsonAsync<JsonObject>($"/api/v1/follow-ups/{Id}", Ct))!;
        Assert.Equal(("open", 1), (followUp["state"]!.GetValue<string>(), followUp["history"]!.AsArray().Count));
        var reveals = (await owner.GetFromJsonAsync<JsonObject>("/api/v1/follow-ups/contact-reveals", Ct))!;
        Assert.DoesNotContain(reveals["items"]!.AsArray(), r => r!["followUpId"]!.GetValue<string>() == Id);
        TestContext.Current.TestOutputHelper?.WriteLine($"{refused} of {attempts.Count} requests to another city's 差评 work refused with 403");
    }
}
