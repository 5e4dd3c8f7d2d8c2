using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Evaluation.Contracts.Registry;
using Evaluation.Grains.Registry;
using Evaluation.IntegrationTests.Infrastructure;
using Npgsql;
using Xunit;
using static Evaluation.IntegrationTests.Api.IngestionApiTests;

namespace Evaluation.IntegrationTests.Api;

/// <summary>Rating sources created through the admin API (SPEC 4.5.2): own ids, own scope, own keys, and their exclusion.</summary>
public sealed class SourcesTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private static readonly Institution Here = ShippedRegistry.Sample.Institutions.Where(i => i.Channels.Count > 0 && i.Services.Count > 0).Skip(3).First();
    private static readonly Institution Elsewhere = ShippedRegistry.Sample.Institutions.First(i => i.CityCode != Here.CityCode && i.Channels.Count > 0 && i.Services.Count > 0);

    [Fact]
    public async Task Two_sources_may_send_the_same_id_and_each_stays_within_its_scope()
    {
        using var admin = AdminClient();
        var open = await CreateAsync(admin, new { name = "kiosk-a" });
        var scoped = await CreateAsync(admin, new { name = "kiosk-b", cities = new[] { Here.CityCode } });
        Assert.StartsWith("kiosk-a.", open, StringComparison.Ordinal);

        // The key is shown once: the list holds no key and no hash.
        var listed = await admin.GetStringAsync("/api/v1/admin/sources", Ct);
        Assert.Contains("kiosk-b", listed, StringComparison.Ordinal);
        Assert.DoesNotContain(open[8..], listed, StringComparison.Ordinal);

        // Other tests of the class rate the same institution: count from what it has now.
        var before = await CountAsync(Here);
        var fromA = await PostAsync(open, Batch([Rating("1", Here, 5)]));
        var fromB = await PostAsync(scoped, Batch([Rating("1", Here, 4), Rating("2", Elsewhere, 4)]));
        var again = await PostAsync(open, Batch([Rating("1", Here, 5)]));

        Assert.Equal("accepted", Status(fromA, 0));
        Assert.Equal("accepted", Status(fromB, 0));
        Assert.Equal("duplicate", Status(again, 0));
        Assert.Equal("rejected", Status(fromB, 1));
        var error = fromB["results"]![1]!["errors"]![0]!;
        Assert.Equal("items[1].institutionId", error["field"]!.GetValue<string>());
        Assert.Contains($"only for cities {Here.CityCode}", error["message"]!.GetValue<string>(), StringComparison.Ordinal);

        Assert.Equal(["kiosk-a", "kiosk-b"], await StringsAsync("SELECT source FROM event_log WHERE source_id = '1' ORDER BY source"));
        await Eventually(async () => await CountAsync(Here) == before + 2, "both sources' rating '1' to count");

        // What one source sent, listed and excluded: new events, idempotent, and the scores follow.
        var (from, to) = (DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        var items = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/admin/sources/kiosk-a/items?from={Q(from)}&to={Q(to)}", Ct))!;
        Assert.Equal(1, items["total"]!.GetValue<long>());
        Assert.Equal("1", items["items"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(1, (await ExcludeAsync(admin, "kiosk-a", from, to))["excluded"]!.GetValue<int>());
        var twice = await ExcludeAsync(admin, "kiosk-a", from, to);
        Assert.Equal(0, twice["excluded"]!.GetValue<int>());
        Assert.Equal(1, twice["alreadyExcluded"]!.GetValue<int>());
        await Eventually(async () => await CountAsync(Here) == before + 1, "kiosk-a's rating to stop counting");
        Assert.Equal(2, (await StringsAsync("SELECT source_id FROM event_log WHERE kind = 0 AND source_id = '1'")).Count);
    }

    [Fact]
    public async Task A_rotated_key_works_for_its_grace_and_a_revoked_source_for_nothing()
    {
        using var admin = AdminClient();
        var first = await CreateAsync(admin, new { name = "kiosk-r" });
        using (var rotation = await admin.PostAsJsonAsync("/api/v1/admin/sources/kiosk-r/rotation", new { graceMinutes = 60 }, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, rotation.StatusCode);
            var second = (await rotation.Content.ReadFromJsonAsync<JsonObject>(Ct))!["key"]!.GetValue<string>();
            Assert.Equal("accepted", Status(await PostAsync(first, Batch([Rating("r-1", Here, 5)])), 0));
            Assert.Equal("accepted", Status(await PostAsync(second, Batch([Rating("r-2", Here, 5)])), 0));

            using var immediate = await admin.PostAsJsonAsync("/api/v1/admin/sources/kiosk-r/rotation", new { graceMinutes = 0 }, Ct);
            var third = (await immediate.Content.ReadFromJsonAsync<JsonObject>(Ct))!["key"]!.GetValue<string>();
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusOfAsync(second));
            Assert.Equal("accepted", Status(await PostAsync(third, Batch([Rating("r-3", Here, 5)])), 0));

            using var revoked = await admin.PostAsync("/api/v1/admin/sources/kiosk-r/revocation", null, Ct);
            Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusOfAsync(third));
        }

        using var invalid = await admin.PostAsJsonAsync("/api/v1/admin/sources", new { name = "Bad Name", channels = new[] { "fax" } }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var problem = await invalid.Content.ReadAsStringAsync(Ct);
        Assert.Contains("channels[0]", problem, StringComparison.Ordinal);
        Assert.Contains("\"name\"", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_service_one_rating_verifies_refuses_and_makes_the_evaluation_rate_exact()
    {
        var institution = ShippedRegistry.Sample.Institutions.Where(i => i.Channels.Count > 0 && i.Services.Count > 0).Skip(7).First();
        var other = ShippedRegistry.Sample.Institutions.Where(i => i.Channels.Count > 0 && i.Services.Count > 0).Skip(8).First();
        var now = DateTimeOffset.UtcNow.AddMinutes(-2);
        var records = await PostAsync(RunningSystem.SourceKey, Batch([
            ServiceRecord("r-done", institution, now.AddHours(-1), now),
            ServiceRecord("r-open", institution, now.AddHours(-1), null),
            ServiceRecord("r-unrated", institution, now.AddHours(-1), now),
            ServiceRecord("r-theirs", other, now.AddHours(-1), now),
        ]), "/api/v1/service-records");
        Assert.Equal(4, records["accepted"]!.GetValue<int>());

        var ratings = await PostAsync(RunningSystem.SourceKey, Batch([
            Named(Rating("v-1", institution, 5), "r-done"),
            Named(Rating("v-2", institution, 4), "r-done"),
            Named(Rating("v-3", institution, 4), "r-open"),
            Named(Rating("v-4", institution, 3), "r-later"),
            Named(Rating("v-5", institution, 2), "r-theirs"),
            Rating("v-6", institution, 5),
        ]));
        Assert.Equal(["accepted", "duplicate", "accepted", "accepted", "rejected", "accepted"], Statuses(ratings));
        Assert.Equal("items[4].serviceRecordId", ratings["results"]![4]!["errors"]![0]!["field"]!.GetValue<string>());

        // A second rating of one record is a duplicate whatever its own id, across batches too.
        Assert.Equal("duplicate", Status(await PostAsync(RunningSystem.SourceKey, Batch([Named(Rating("v-7", institution, 1), "r-open")])), 0));

        // The record named before it was known arrives, completed: it counts as rated, its rating stays unverified.
        // The open record is completed: rated by the rating that came first.
        await PostAsync(RunningSystem.SourceKey, Batch([
            ServiceRecord("r-later", institution, now.AddHours(-1), now),
            ServiceRecord("r-open", institution, now.AddHours(-1), now),
        ]), "/api/v1/service-records");

        // 4 completed (r-done, r-unrated, r-later, r-open), 3 of them rated; 2 of the 4 ratings verified.
        await Eventually(
            async () =>
            {
                var read = (await system.AnonymousClient().GetFromJsonAsync<JsonObject>($"/api/v1/public/institutions/{institution.Id}", Ct))!;
                var d30 = read["scores"]!["d30"]!;
                var service = read["service"]!;
                return d30["count"]!.GetValue<long>() == 4 && d30["verified"]!.GetValue<long>() == 2
                    && Math.Abs(d30["verifiedShare"]!.GetValue<double>() - 0.5) < 1e-12
                    && service["completed"]!.GetValue<long>() == 4 && Math.Abs(service["evaluationRate"]!.GetValue<double>() - 0.75) < 1e-12;
            },
            "verified 2 of 4 and 评价率 3 of 4");
        Assert.Equal(["t", "t", "f", "f"], await StringsAsync($"SELECT verified::text::char FROM event_log WHERE kind = 0 AND institution_id = '{institution.Id}' ORDER BY verified DESC, source_id"));
    }

    [Fact]
    public async Task An_appeal_on_a_rating_its_source_exclusion_excluded_is_still_decided_and_excludes_nothing_twice()
    {
        var institution = ShippedRegistry.Sample.Institutions.Where(i => i.Channels.Count > 0 && i.Services.Count > 0).Skip(11).First();
        using var admin = AdminClient();
        var key = await CreateAsync(admin, new { name = "kiosk-x" });
        var sent = await PostAsync(key, Batch([Rating("bad-1", institution, 1), Rating("good-1", institution, 5)]));
        Assert.Equal(2, sent["accepted"]!.GetValue<int>());

        // Its 差评's follow-up is named by source and id; the officer appeals it before the operator excludes the source.
        const string followUp = "kiosk-x:bad-1";
        using var officer = await system.StaffClientAsync("city-officer", institution.CityCode);
        using var supervisor = await system.StaffClientAsync("province-supervisor", null);
        await StaffWork.EventuallyAsync(async () => (await officer.GetAsync($"/api/v1/follow-ups/{followUp}", Ct)).IsSuccessStatusCode, "the follow-up to open");
        await StaffWork.StepAsync(officer, followUp, "appeal", "a faulty kiosk", "appealed");
        var excluded = await ExcludeAsync(admin, "kiosk-x", DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Equal(2, excluded["excluded"]!.GetValue<int>());

        await StaffWork.StepAsync(supervisor, followUp, "uphold", "the kiosk was faulty", "excluded");
        Assert.Equal(["10", "10"], await StringsAsync($"SELECT kind::text FROM event_log WHERE institution_id = '{institution.Id}' AND kind IN (3, 10)"));
        await Eventually(async () => await CountAsync(institution) == 0, "the source's ratings to stop counting, once each");
    }

    private static JsonObject Named(JsonObject rating, string record)
    {
        rating["serviceRecordId"] = record;
        return rating;
    }

    private HttpClient AdminClient()
    {
        var client = system.AnonymousClient();
        client.DefaultRequestHeaders.Add("X-Admin-Key", RunningSystem.AdminKey);
        return client;
    }

    private static async Task<string> CreateAsync(HttpClient admin, object source)
    {
        using var response = await admin.PostAsJsonAsync("/api/v1/admin/sources", source, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["key"]!.GetValue<string>();
    }

    private static async Task<JsonObject> ExcludeAsync(HttpClient admin, string source, DateTimeOffset from, DateTimeOffset to)
    {
        using var response = await admin.PostAsJsonAsync($"/api/v1/admin/sources/{source}/exclusions", new { from, to }, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!;
    }

    private async Task<JsonObject> PostAsync(string key, JsonObject body, string path = "/api/v1/evaluations")
    {
        using var client = system.AnonymousClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        using var response = await client.PostAsJsonAsync(path, body, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    private async Task<HttpStatusCode> StatusOfAsync(string key)
    {
        using var client = system.AnonymousClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        using var response = await client.PostAsJsonAsync("/api/v1/evaluations", Batch([Rating("any", Here, 5)]), Ct);
        return response.StatusCode;
    }

    private async Task<long> CountAsync(Institution institution)
    {
        var read = (await system.AnonymousClient().GetFromJsonAsync<JsonObject>($"/api/v1/public/institutions/{institution.Id}", Ct))!;
        return read["scores"]!["d30"]!["count"]!.GetValue<long>();
    }

    private async Task<List<string>> StringsAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(system.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var values = new List<string>();
        while (await reader.ReadAsync(Ct))
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    private static string Status(JsonObject batch, int index) => batch["results"]![index]!["status"]!.GetValue<string>();

    private static List<string> Statuses(JsonObject batch) => [.. batch["results"]!.AsArray().Select(r => r!["status"]!.GetValue<string>())];

    private static string Q(DateTimeOffset time) => Uri.EscapeDataString(time.ToString("O"));
}
