using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Evaluation.ClientApi.Security;
using Evaluation.Grains.Registry;
using Evaluation.IntegrationTests.Infrastructure;
using Xunit;

namespace Evaluation.IntegrationTests.Api;

/// <summary>
/// Two 差评 handled through the API, one rectified and one excluded by an upheld appeal, as the public sees them:
/// the <c>handling</c> of the institution, its city and the province, and the 整改公示.
/// </summary>
public sealed class PublicHandlingTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private const string City = "440100";
    private const string Comment = "窗口人员态度差，等了很久";
    private const string Phone = "13800001234";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Handling_and_the_rectification_notice_count_a_rectified_and_an_upheld_bad_rating()
    {
        var institution = ShippedRegistry.Sample.Institutions.First(i => i.CityCode == City && i.CountyCode is not null && i.Channels.Count > 0 && i.Services.Count > 0);
        var rectified = IngestionApiTests.Rating("pub-bad-rectified", institution, level: 1);
        rectified["realName"] = true;
        rectified["contact"] = new JsonObject { ["name"] = "公示测试人", ["phone"] = Phone };
        rectified["tags"] = new JsonArray("slow", "attitude");
        rectified["comment"] = Comment;
        var appealed = IngestionApiTests.Rating("pub-bad-appealed", institution, level: 2);
        appealed["tags"] = new JsonArray("slow");
        appealed["comment"] = Comment;
        using (var posted = await system.Client.PostAsJsonAsync("/api/v1/evaluations", IngestionApiTests.Batch([rectified, appealed]), Ct))
        {
            Assert.Equal(2, (await posted.Content.ReadFromJsonAsync<JsonObject>(Ct))!["accepted"]!.GetValue<int>());
        }

        using var officer = await system.StaffClientAsync(Roles.CityOfficer, City);
        using var supervisor = await system.StaffClientAsync(Roles.Supervisor, null);
        await StaffWork.EventuallyAsync(async () => (await officer.GetFromJsonAsync<JsonObject>("/api/v1/follow-ups", Ct))!["total"]!.GetValue<int>() == 2,
            "both 差评 to open follow-ups");

        await StaffWork.StepAsync(officer, "pub-bad-rectified", "call-back", "the rater waited 50 minutes; justified", "rectifying");
        await StaffWork.StepAsync(officer, "pub-bad-rectified", "rectify", "a second window opens at peak hours", "rectified");
        await StaffWork.StepAsync(officer, "pub-bad-rectified", "feedback", "told the rater about the second window", "closed");
        await StaffWork.StepAsync(officer, "pub-bad-appealed", "appeal", "the rater rated the wrong office", "appealed");
        await StaffWork.StepAsync(supervisor, "pub-bad-appealed", "uphold", "wrong office; excluded", "excluded");

        // By hand: two follow-ups opened today. The real-name one was called back and rectified well before its
        // deadlines (1 and 15 working days): 1 of 1 due on time each. The anonymous one was appealed before its
        // check was due (so no call-back was due) and the appeal upheld: 1 upheld of 1 decided. Nothing overdue.
        var expected = new JsonObject
        {
            ["followUps"] = 2,
            ["calledBack"] = 1,
            ["callBackOnTimeRate"] = 1.0,
            ["rectified"] = 1,
            ["rectifiedOnTimeRate"] = 1.0,
            ["appealed"] = 1,
            ["upheld"] = 1,
            ["upheldAppealRate"] = 1.0,
            ["overdue"] = 0,
        };
        foreach (var (what, path) in new[]
        {
            ("the institution", $"/api/v1/public/institutions/{institution.Id}"),
            ("its county", $"/api/v1/public/counties/{institution.CountyCode}"),
            ("the city", $"/api/v1/public/cities/{City}"),
            ("its region", "/api/v1/public/regions/pearl-river-delta"),
            ("the province", "/api/v1/public/province"),
        })
        {
            await StaffWork.EventuallyAsync(async () => Same(expected, await Today(path)), $"{what}'s handling today to be {expected.ToJsonString()}");
            var handling = (await system.Client.GetFromJsonAsync<JsonObject>(path, Ct))!["handling"]!.AsObject();
            Assert.Equal(["today", "d7", "d30", "d90"], handling.Select(w => w.Key));
        }

        foreach (var unknown in new[] { "/api/v1/public/counties/449999", "/api/v1/public/counties/440100", "/api/v1/public/regions/south" })
        {
            using var missing = await system.Client.GetAsync(unknown, Ct);
            Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
        }

        var followUp = (await officer.GetFromJsonAsync<JsonObject>("/api/v1/follow-ups/pub-bad-rectified", Ct))!;
        var days = (followUp["rectifiedAt"]!.GetValue<DateTimeOffset>() - followUp["openedAt"]!.GetValue<DateTimeOffset>()).TotalDays;
        Assert.True(days < 0.05, $"rectified {days} days after opening; the median below assumes well under a tenth of a day");

        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).Date);
        foreach (var (path, institutionId) in new[]
        {
            ($"/api/v1/public/cities/{City}/rectification", (string?)null),
            ($"/api/v1/public/institutions/{institution.Id}/rectification", institution.Id),
        })
        {
            using var response = await system.Client.GetAsync(path, Ct);
            var text = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
            foreach (var secret in new[] { "pub-bad-", Comment, Phone, "公示测试人" })
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }

            var notice = JsonNode.Parse(text)!.AsObject();
            Assert.Equal(City, notice["cityCode"]!.GetValue<string>());
            Assert.Equal(institutionId, notice["institutionId"]?.GetValue<string>());
            Assert.Equal(90, notice["days"]!.GetValue<int>());
            Assert.Equal(today.AddDays(-89), DateOnly.Parse(notice["from"]!.GetValue<string>(), CultureInfo.InvariantCulture));
            Assert.Equal(today, DateOnly.Parse(notice["to"]!.GetValue<string>(), CultureInfo.InvariantCulture));
            Assert.Equal(1, notice["rectified"]!.GetValue<int>());
            var byItem = Assert.Single(notice["byServiceItem"]!.AsArray())!;
            Assert.Equal((institution.Services[0], 1), (byItem["serviceItem"]!.GetValue<string>(), byItem["count"]!.GetValue<int>()));
            Assert.Equal([("attitude", 1), ("slow", 1)],
                notice["byTag"]!.AsArray().Select(t => (t!["tag"]!.GetValue<string>(), t["count"]!.GetValue<int>())));
            Assert.Equal(0.0, notice["medianDaysToRectify"]!.GetValue<double>());
            Assert.Equal((1, 0), (notice["appealsUpheld"]!.GetValue<int>(), notice["appealsDismissed"]!.GetValue<int>()));
        }

        using (var missing = await system.Client.GetAsync("/api/v1/public/cities/449999/rectification", Ct))
        {
            Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
        }

        foreach (var page in new[] { "/", $"/cities/{City}", $"/counties/{institution.CountyCode}", $"/institutions/{institution.Id}", $"/cities/{City}/rectification" })
        {
            var html = await system.Client.GetStringAsync(page, Ct);
            Assert.DoesNotContain(Comment, html, StringComparison.Ordinal);
            Assert.Contains(page.EndsWith("/rectification", StringComparison.Ordinal) ? "整改公示" : "回访及时率", html, StringComparison.Ordinal);
        }
    }

    private async Task<JsonObject> Today(string path) =>
        (await system.Client.GetFromJsonAsync<JsonObject>(path, Ct))!["handling"]!["today"]!.AsObject();

    private static bool Same(JsonObject expected, JsonObject actual) =>
        expected.All(e => actual[e.Key] is JsonValue v && Number(v) == Number(e.Value!));

    private static double Number(JsonNode n) => double.Parse(n.ToJsonString(), CultureInfo.InvariantCulture);
}
