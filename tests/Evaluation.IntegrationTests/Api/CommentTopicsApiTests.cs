using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Evaluation.ClientApi.Security;
using Evaluation.Contracts.Registry;
using Evaluation.Grains.Registry;
using Evaluation.IntegrationTests.Infrastructure;
using Npgsql;
using Xunit;

namespace Evaluation.IntegrationTests.Api;

/// <summary>
/// Issue 15's comments end to end: personal numbers redacted before anything stores a comment, an overlong comment
/// refused on its own item, and a planted "slow window" complaint wave read as the top topic of the alert's
/// explanation and of the city console, and never shown publicly.
/// </summary>
public sealed partial class CommentTopicsApiTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private const string Phone = "13800138000";
    private const string IdCard = "44010619900101123X";
    private const string Email = "wang.wu@example.com";

    // Comments about waiting, as a rater writes them; the last two 差评 of every five are about attitude instead.
    private static readonly string[] WaitingComments =
    [
        "排了两个多小时的队才轮到我", "取号后等了一上午", "等候时间太长了", "前面只有五个人，硬是等了一个半小时",
        "排队排到腿都酸了", "叫号太慢，等得人心烦",
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Personal_numbers_are_redacted_before_a_comment_is_stored_and_an_overlong_comment_is_refused_alone()
    {
        // Not the wave's target (the first of its peer group), whose 差评 the other test counts.
        var institution = ShippedRegistry.Sample.Institutions.Last(i => i.Channels.Count > 0 && i.Services.Count > 0);
        var bad = IngestionApiTests.Rating("redact-1", institution, level: 1);
        bad["comment"] = $"排队等了两个小时！手机{Phone}，身份证{IdCard}，邮箱{Email}";
        bad["tags"] = new JsonArray("slow", "１３９１２３４５６７８");
        var overlong = IngestionApiTests.Rating("redact-long", institution, level: 2);
        overlong["comment"] = string.Concat(Enumerable.Repeat($"排队 queue очередь الانتظار 😀 {Phone}。", 400))[..10_000];

        using var posted = await system.Client.PostAsJsonAsync(
            "/api/v1/evaluations", IngestionApiTests.Batch([bad, overlong, IngestionApiTests.Rating("redact-good", institution, level: 5)]), Ct);
        var results = (await posted.Content.ReadFromJsonAsync<JsonObject>(Ct))!["results"]!.AsArray();

        Assert.Equal(["accepted", "rejected", "accepted"], results.Select(r => r!["status"]!.GetValue<string>()));
        var error = Assert.Single(results[1]!["errors"]!.AsArray());
        Assert.Equal("items[1].comment", error!["field"]!.GetValue<string>());
        Assert.StartsWith("comment must be at most 500 characters", error["message"]!.GetValue<string>(), StringComparison.Ordinal);

        await using var connection = new NpgsqlConnection(system.ConnectionString);
        await connection.OpenAsync(Ct);
        var logged = await RowAsync(connection, "SELECT comment, array_to_string(tags, '|'), array_to_string(topics, '|') FROM event_log WHERE source_id = 'redact-1'");
        Assert.Equal("排队等了两个小时！手机[电话]，身份证[身份证]，邮箱[邮箱]", logged[0]);
        Assert.Equal("slow|[电话]", logged[1]);
        Assert.Equal("waiting", logged[2]);
        Assert.Equal([null, null, null], await RowAsync(connection, "SELECT comment, tags::text, topics::text FROM event_log WHERE source_id = 'redact-good'"));

        // Nothing of the refused item, and the numbers nowhere: not in the log, not in the follow-up the 差评 opened.
        Assert.Equal(0L, await ScalarAsync(connection, "SELECT count(*) FROM event_log WHERE source_id = 'redact-long'"));
        foreach (var secret in new[] { Phone, IdCard, Email, "13912345678", "１３９１２３４５６７８" })
        {
            Assert.Equal(0L, await ScalarAsync(connection, $"SELECT count(*) FROM event_log WHERE comment LIKE '%{secret}%' OR array_to_string(tags, ' ') LIKE '%{secret}%'"));
            Assert.Equal(0L, await ScalarAsync(connection, $"SELECT count(*) FROM follow_up WHERE opening::text LIKE '%{secret}%' OR document::text LIKE '%{secret}%'"));
        }

        Assert.Equal(1L, await ScalarAsync(connection, "SELECT count(*) FROM follow_up WHERE id = 'redact-1' AND opening->>'Comment' LIKE '%[电话]%'"));
    }

    [Fact]
    public async Task A_slow_window_complaint_wave_is_the_top_topic_of_the_alert_and_the_city_console_and_never_public()
    {
        var (target, peers) = PeerGroups.InDifferentCities(7);
        await PlantWaitingWaveAsync(target, peers);
        using var supervisor = await ClientAsync(Roles.Supervisor);

        var alert = await AlertsApiTests.DetectUntilAlertedAsync(supervisor, target);

        var line = alert["explanation"]!.AsArray().Select(l => l!.AsObject()).Single(l => l["measure"]!.GetValue<string>() == "commentTopics");
        Assert.Equal("d7", line["window"]!.GetValue<string>());
        Assert.Equal(0.8, line["value"]!.GetValue<double>(), 9);
        Assert.Equal("近7天差评集中在：等待时间长 80.0%、态度差 20.0%（共 15 条差评）", line["text"]!.GetValue<string>());

        // The officer of the target's city reads the same counts on the console; comments themselves appear nowhere.
        using var officer = system.AnonymousClient();
        var login = await officer.GetStringAsync("/console/login", Ct);
        using (var signIn = await officer.PostAsync("/console/login", Form(login, ("Token", await system.TokenAsync(Roles.CityOfficer, target.CityCode))), Ct))
        {
            Assert.True(signIn.IsSuccessStatusCode, $"sign-in answered {signIn.StatusCode}");
        }

        string console = "";
        await IngestionApiTests.Eventually(
            async () => (console = WebUtility.HtmlDecode(await officer.GetStringAsync("/console/city", Ct))).Contains($"data-institution=\"{target.Id}\"", StringComparison.Ordinal),
            "the target's topics on the city console");
        Assert.Matches(@"<tr data-topic=""waiting"">\s*<th scope=""row"">等待时间长", console);
        Assert.Contains("等待时间长 80.0%、态度差 20.0%", console, StringComparison.Ordinal);

        using var anonymous = system.AnonymousClient();
        foreach (var path in new[]
        {
            $"/institutions/{target.Id}", $"/cities/{target.CityCode}", "/", $"/api/v1/public/institutions/{target.Id}",
            $"/api/v1/public/cities/{target.CityCode}", "/api/v1/public/province",
        })
        {
            var body = WebUtility.HtmlDecode(await anonymous.GetStringAsync(path, Ct));
            Assert.DoesNotContain("等待时间长", body, StringComparison.Ordinal);
            Assert.DoesNotContain("data-topic", body, StringComparison.Ordinal);
            Assert.DoesNotContain("commentTopics", body, StringComparison.Ordinal);
            Assert.DoesNotContain(WaitingComments, comment => body.Contains(comment, StringComparison.Ordinal));
            Assert.DoesNotContain(WaitingComments, comment => console.Contains(comment, StringComparison.Ordinal));
        }
    }

    /// <summary>Through the ingest API: half the target's ratings are 差评, four in five of them about waiting; its peers one in thirty.</summary>
    private async Task PlantWaitingWaveAsync(Institution target, IReadOnlyList<Institution> peers)
    {
        var now = DateTimeOffset.UtcNow;
        var items = new List<JsonNode>();
        foreach (var institution in peers.Prepend(target))
        {
            for (var i = 0; i < 30; i++)
            {
                var bad = institution == target ? i % 2 == 0 : i == 0;
                var item = IngestionApiTests.Rating($"wave-{institution.Id}-{i}", institution, bad ? 1 : 5, occurredAt: now.AddHours(-2 - (i * 4)));
                if (bad)
                {
                    item["comment"] = institution == target && i % 10 < 8 ? WaitingComments[(i / 2) % WaitingComments.Length] : "工作人员态度差，问题没有解决";
                }

                items.Add(item);
            }
        }

        using var ingest = await system.Client.PostAsJsonAsync("/api/v1/evaluations", IngestionApiTests.Batch(items), Ct);
        Assert.Equal(items.Count, (await ingest.Content.ReadFromJsonAsync<JsonObject>(Ct))!["accepted"]!.GetValue<int>());
    }

    private async Task<HttpClient> ClientAsync(string role)
    {
        var client = system.AnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await system.TokenAsync(role));
        return client;
    }

    private static async Task<object?[]> RowAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct), $"no row for: {sql}");
        return [.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : reader.GetValue(i))];
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    private static FormUrlEncodedContent Form(string page, params (string Name, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Name, f.Value))
            .Append(KeyValuePair.Create("__RequestVerificationToken", AntiforgeryField().Match(page).Groups[1].Value)));

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
