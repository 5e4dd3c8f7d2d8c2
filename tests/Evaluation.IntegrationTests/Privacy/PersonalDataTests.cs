using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Evaluation.ClientApi.Security;
using Evaluation.Grains.Registry;
using Evaluation.IntegrationTests.Api;
using Evaluation.IntegrationTests.Infrastructure;
using Xunit;

namespace Evaluation.IntegrationTests.Privacy;

/// <summary>
/// A real-name 差评 goes through ingestion, its follow-up and the officer's call-back; its planted contact
/// details then appear in no public response and in no log line any silo or API host wrote meanwhile.
/// </summary>
public sealed class PersonalDataTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private const string City = "440100";
    private const string Name = "日志隐私测试人";
    private const string Phone = "13711112222";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Planted_contact_details_appear_in_no_public_response_and_no_log_line()
    {
        using var capture = LogCapture.Open();
        var institution = ShippedRegistry.Sample.Institutions.First(i => i.CityCode == City && i.Channels.Count > 0 && i.Services.Count > 0);
        var bad = IngestionApiTests.Rating("privacy-1", institution, level: 1);
        bad["realName"] = true;
        bad["contact"] = new JsonObject { ["name"] = Name, ["phone"] = Phone };
        using (var posted = await system.Client.PostAsJsonAsync("/api/v1/evaluations", IngestionApiTests.Batch([bad]), Ct))
        {
            Assert.Equal(1, (await posted.Content.ReadFromJsonAsync<JsonObject>(Ct))!["accepted"]!.GetValue<int>());
        }

        using var officer = system.AnonymousClient();
        officer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await system.TokenAsync(Roles.CityOfficer, City));
        await IngestionApiTests.Eventually(async () => (await officer.GetAsync("/api/v1/follow-ups/privacy-1", Ct)).IsSuccessStatusCode, "the follow-up to open");

        // The one place the contact may appear: the call-back view of the institution's own city officer.
        var contact = await officer.GetFromJsonAsync<JsonObject>("/api/v1/follow-ups/privacy-1/contact", Ct);
        Assert.Equal(Phone, contact!["phone"]!.GetValue<string>());

        using var anonymous = system.AnonymousClient();
        var responses = new List<string> { await officer.GetStringAsync("/api/v1/follow-ups/privacy-1", Ct) };
        foreach (var path in new[]
        {
            $"/api/v1/public/institutions/{institution.Id}", $"/api/v1/public/cities/{City}", "/api/v1/public/province",
            $"/api/v1/public/institutions?city={City}", $"/institutions/{institution.Id}", $"/cities/{City}", "/",
        })
        {
            responses.Add(await anonymous.GetStringAsync(path, Ct));
        }

        foreach (var body in responses)
        {
            Assert.DoesNotContain(Phone, body, StringComparison.Ordinal);
            Assert.DoesNotContain(Name, body, StringComparison.Ordinal);
        }

        var lines = LogCapture.Lines.ToList();
        Assert.True(lines.Count > 0, "the capture should have seen the run's log lines");
        Assert.DoesNotContain(lines, line => line.Contains(Phone, StringComparison.Ordinal) || line.Contains(Name, StringComparison.Ordinal));
    }
}
