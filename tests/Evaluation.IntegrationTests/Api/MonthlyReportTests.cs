using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Evaluation.ClientApi.Apis;
using Evaluation.ClientApi.Reports;
using Evaluation.ClientApi.Security;
using Evaluation.Contracts.Ingestion;
using Evaluation.Grains.Registry;
using Evaluation.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using MiniExcelLibs;
using Npgsql;
using Xunit;

namespace Evaluation.IntegrationTests.Api;

/// <summary>
/// The monthly 通报 of a past month on the real system: its CSV and XLSX hold exactly the JSON answer's figures; it
/// is the same, byte for byte, when generated again after late ratings, further follow-up steps and audit steps;
/// and an officer's report and lists hold their own city only.
/// </summary>
public sealed class MonthlyReportTests
{
    private const string City = "440100";
    private const string OtherCity = "440300";
    private const string Province = "440000";
    private const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    /// <summary>Each column of the report's <c>areas</c> table and where the JSON answer has it.</summary>
    private static readonly (string Column, Func<JsonNode, JsonNode?> Json)[] AreaColumns =
    [
        ("id", r => r["id"]), ("name", r => r["name"]), ("peerGroup", r => r["peerGroup"]), ("rank", r => r["rank"]),
        ("tied", r => r["tied"]), ("ranked", r => r["scores"]!["ranked"]), ("ratings", r => r["scores"]!["count"]),
        ("goodRate", r => r["scores"]!["goodRate"]), ("badRate", r => r["scores"]!["badRate"]),
        ("satisfaction", r => r["scores"]!["satisfaction"]), ("smoothedScore", r => r["scores"]!["smoothedScore"]),
        ("intervalLow", r => r["scores"]!["interval"]?[0]), ("intervalHigh", r => r["scores"]!["interval"]?[1]),
        ("followUps", r => r["handling"]!["followUps"]), ("calledBack", r => r["handling"]!["calledBack"]),
        ("callBackOnTimeRate", r => r["handling"]!["callBackOnTimeRate"]), ("rectified", r => r["handling"]!["rectified"]),
        ("rectifiedOnTimeRate", r => r["handling"]!["rectifiedOnTimeRate"]), ("appealed", r => r["handling"]!["appealed"]),
        ("upheld", r => r["handling"]!["upheld"]), ("upheldAppealRate", r => r["handling"]!["upheldAppealRate"]),
        ("overdueFollowUps", r => r["handling"]!["overdue"]), ("completed", r => r["completed"]), ("onTimeRate", r => r["onTimeRate"]),
        ("auditsOpened", r => r["audits"]!["opened"]), ("auditsClosed", r => r["audits"]!["closed"]), ("auditsOverdue", r => r["audits"]!["overdue"]),
    ];

    private static readonly string[] ProblemItemColumns = ["serviceItem", "name", "ratings", "bad", "badRate", "smoothedBadRate"];

    private static readonly string[] PlanTargetColumns = ["code", "name", "current", "target", "unit", "due", "status", "detail"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_month_reads_the_same_in_every_format_and_again_a_day_later_and_officers_get_their_city_only()
    {
        var month = PastMonth();
        var monthName = month.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var cut = new DateTimeOffset(month.AddMonths(1).ToDateTime(TimeOnly.MinValue), Shanghai);

        // Case work happens in the month by the case clock: the 3rd, 10:00 in Shanghai.
        var clock = new FakeTimeProvider(new DateTimeOffset(month.AddDays(2).ToDateTime(new TimeOnly(10, 0)), Shanghai));
        await using var system = new RunningSystem { CaseTime = new CaseTime(clock, TimeSpan.FromSeconds(1)) };
        await system.InitializeAsync();
        using var supervisor = await system.StaffClientAsync(Roles.Supervisor, null);
        using var officer = await system.StaffClientAsync(Roles.CityOfficer, City);

        // The month's ratings: dated up to 40 days before the evening of its last day, so some fall in the month before.
        var institutions = ShippedRegistry.Sample.Institutions
            .Where(i => i.CityCode is City or OtherCity && i.Channels.Count > 0 && i.Services.Count > 0).ToList();
        var traffic = new TrafficGenerator(institutions, seed: 14);
        var sent = new Dictionary<string, EvaluationInput>();
        for (var batch = 0; batch < 3; batch++)
        {
            await PostAsync(system, traffic.Evaluations(300, cut.AddHours(-4)), sent);
        }

        var inMonth = sent.Values.Where(e => InMonth(e.OccurredAt!.Value, month)).ToList();
        var cityOf = institutions.ToDictionary(i => i.Id, i => i.CityCode);
        var badToCallBack = inMonth.Where(e => e.Level <= 2 && e.RealName && cityOf[e.InstitutionId!] == City).Select(e => e.Id!).Take(3).ToList();
        Assert.Equal(3, badToCallBack.Count);
        foreach (var id in badToCallBack)
        {
            await StaffWork.EventuallyAsync(async () => (await officer.GetAsync($"/api/v1/follow-ups/{id}", Ct)).IsSuccessStatusCode, $"follow-up {id}");
        }

        await StaffWork.StepAsync(officer, badToCallBack[0], "call-back", "justified: the window closed early", "rectifying");
        await StaffWork.StepAsync(officer, badToCallBack[1], "call-back", "justified: long wait", "rectifying");

        // Audits in the month: one verified, one past the deadline the supervisor gave it (escalated on the 20th).
        var audited = institutions.Where(i => i.CityCode == City).Take(2).ToList();
        var overdueAudit = await OpenAuditAsync(supervisor, audited[0].Id, new DateTimeOffset(month.AddDays(9).ToDateTime(TimeOnly.MinValue), Shanghai));
        var closedAudit = await OpenAuditAsync(supervisor, audited[1].Id, null);
        await AuditLifecycleTests.Step(officer, closedAudit, "analysis", "queue too long", "city-analysing");
        await AuditLifecycleTests.Step(officer, closedAudit, "rectification", "a second window", "rectifying");
        await AuditLifecycleTests.Step(officer, closedAudit, "submission", "opened on Monday", "submitted");
        await AuditLifecycleTests.Step(supervisor, closedAudit, "verification", null, "verified");
        clock.Advance(TimeSpan.FromDays(17));
        await StaffWork.EventuallyAsync(async () => (await supervisor.GetFromJsonAsync<JsonObject>("/api/v1/audits?overdue=true", Ct))!["items"]!.AsArray()
            .Any(a => a!["id"]!.GetValue<string>() == overdueAudit && a["escalated"]!.GetValue<bool>()), "the overdue audit's escalation");

        // All of that reached the log while the month ran: its receipts are moved back before the cut, as if so.
        await ReceivedBeforeAsync(system.ConnectionString, cut.AddHours(-1));

        var first = await AllFormatsAsync(supervisor, monthName, Province);
        var firstCity = await AllFormatsAsync(officer, monthName, null);

        // The JSON against what was sent (distinct ids dated in the month) and done by hand.
        var province = JsonNode.Parse(first[ReportFormat.Json].Body)!;
        Assert.Equal((monthName, Province, "city"), (province["month"]!.GetValue<string>(), province["scope"]!.GetValue<string>(), province["memberKind"]!.GetValue<string>()));
        Assert.Equal(cut, province["cut"]!.GetValue<DateTimeOffset>());
        Assert.Equal(inMonth.Count, province["total"]!["scores"]!["count"]!.GetValue<long>());
        Assert.Equal(inMonth.Count(e => e.Level <= 2), province["total"]!["handling"]!["followUps"]!.GetValue<long>());
        Assert.Equal(2, province["total"]!["handling"]!["calledBack"]!.GetValue<long>());
        var cityRow = province["rows"]!.AsArray().Single(r => r!["id"]!.GetValue<string>() == City)!;
        Assert.Equal(inMonth.Count(e => cityOf[e.InstitutionId!] == City), cityRow["scores"]!["count"]!.GetValue<long>());
        Assert.Equal((2, 1, 1), (cityRow["audits"]!["opened"]!.GetValue<int>(), cityRow["audits"]!["closed"]!.GetValue<int>(), cityRow["audits"]!["overdue"]!.GetValue<int>()));
        Assert.Equal(21, province["rows"]!.AsArray().Count);
        Assert.NotEmpty(province["problemItems"]!.AsArray());

        // Every file holds exactly the JSON's figures, and its hash is the one the API names and keeps.
        foreach (var report in new[] { first, firstCity })
        {
            var json = JsonNode.Parse(report[ReportFormat.Json].Body)!;
            AssertTablesMatch(json, CsvTables(report[ReportFormat.Csv].Body), "CSV");
            AssertTablesMatch(json, XlsxTables(report[ReportFormat.Xlsx].Body), "XLSX");
            Assert.Equal([0xEF, 0xBB, 0xBF], report[ReportFormat.Csv].Body[..3]);
            foreach (var (format, file) in report)
            {
                Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(file.Body)), file.Sha256);
                var verified = await supervisor.GetFromJsonAsync<JsonObject>($"/api/v1/reports/verify?sha256={file.Sha256}", Ct);
                Assert.Equal((monthName, json["scope"]!.GetValue<string>(), format.ToString().ToLowerInvariant()),
                    (verified!["month"]!.GetValue<string>(), verified["scope"]!.GetValue<string>(), verified["format"]!.GetValue<string>()));
            }
        }

        var html = Encoding.UTF8.GetString(first[ReportFormat.Html].Body);
        Assert.Contains("好差评月度通报", html, StringComparison.Ordinal);
        Assert.Contains(cityRow["name"]!.GetValue<string>(), html, StringComparison.Ordinal);
        Assert.Equal(ReportFiles.HtmlPolicy, first[ReportFormat.Html].ContentSecurityPolicy);
        var style = html[(html.IndexOf("<style>", StringComparison.Ordinal) + 7)..html.IndexOf("</style>", StringComparison.Ordinal)];
        Assert.Contains($"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(style)))}'", ReportFiles.HtmlPolicy, StringComparison.Ordinal);

        // A day later: late ratings dated in the month, ratings of this month, more follow-up and audit steps.
        clock.Advance(TimeSpan.FromDays(15));
        await PostAsync(system, traffic.Evaluations(100, new DateTimeOffset(month.AddDays(20).ToDateTime(new TimeOnly(12, 0)), Shanghai)), sent);
        await PostAsync(system, traffic.Evaluations(100, DateTimeOffset.UtcNow), sent);
        await StaffWork.StepAsync(officer, badToCallBack[2], "call-back", "justified: rude answer", "rectifying");
        await StaffWork.StepAsync(officer, badToCallBack[0], "rectify", "opening hours posted", "rectified");
        await AuditLifecycleTests.Step(officer, overdueAudit, "analysis", "staff on leave", "city-analysing");
        var otherCityAudit = await OpenAuditAsync(supervisor, institutions.First(i => i.CityCode == OtherCity).Id, null);
        Assert.True(sent.Values.Count(e => InMonth(e.OccurredAt!.Value, month)) > inMonth.Count, "late ratings dated in the month were sent");

        var again = await AllFormatsAsync(supervisor, monthName, Province);
        var againCity = await AllFormatsAsync(officer, monthName, null);
        foreach (var (before, after) in new[] { (first, again), (firstCity, againCity) })
        {
            foreach (var format in Enum.GetValues<ReportFormat>())
            {
                Assert.True(before[format].Body.AsSpan().SequenceEqual(after[format].Body),
                    $"{format} differs: {Encoding.UTF8.GetString(before[format].Body)[..Math.Min(3000, before[format].Body.Length)]}\n----\n{Encoding.UTF8.GetString(after[format].Body)[..Math.Min(3000, after[format].Body.Length)]}");
                Assert.Equal(before[format].Sha256, after[format].Sha256);
                Assert.Equal(before[format].GeneratedAt, after[format].GeneratedAt);
            }
        }

        // The consoles' page links the same files, whoever asks for the city.
        var page = await supervisor.GetStringAsync($"/console/reports?month={monthName}&city={City}", Ct);
        Assert.Contains($"/console/reports/monthly?month={monthName}&amp;city={City}&amp;format=xlsx", page, StringComparison.Ordinal);
        Assert.Equal(firstCity[ReportFormat.Xlsx].Body, await supervisor.GetByteArrayAsync($"/console/reports/monthly?month={monthName}&city={City}&format=xlsx", Ct));

        // The officer's report is their city's: its institutions only; another city or the province is refused.
        var cityReport = JsonNode.Parse(firstCity[ReportFormat.Json].Body)!;
        Assert.Equal((City, "institution"), (cityReport["scope"]!.GetValue<string>(), cityReport["memberKind"]!.GetValue<string>()));
        var ownInstitutions = ShippedRegistry.Sample.Institutions.Where(i => i.CityCode == City).Select(i => i.Id).Order(StringComparer.Ordinal);
        Assert.Equal(ownInstitutions, cityReport["rows"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal(cityRow["scores"]!.ToJsonString(), cityReport["total"]!["scores"]!.ToJsonString());
        foreach (var scope in new[] { OtherCity, Province })
        {
            using var refused = await officer.GetAsync($"/api/v1/reports/monthly?month={monthName}&city={scope}", Ct);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }

        using (var other = await supervisor.GetAsync($"/api/v1/reports/files/{first[ReportFormat.Csv].Sha256}", Ct))
        {
            Assert.Equal(first[ReportFormat.Csv].Body, await other.Content.ReadAsByteArrayAsync(Ct));
        }

        using (var notTheirs = await officer.GetAsync($"/api/v1/reports/verify?sha256={first[ReportFormat.Csv].Sha256}", Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, notTheirs.StatusCode);
        }

        await AssertRefusedAsync(supervisor, "/api/v1/reports/monthly?month=2026-13", "month");
        var thisMonth = DateTimeOffset.UtcNow.ToOffset(Shanghai).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        await AssertRefusedAsync(supervisor, $"/api/v1/reports/monthly?month={thisMonth}", "month");
        await AssertRefusedAsync(supervisor, $"/api/v1/reports/monthly?month={monthName}&city=449999", "city");
        await AssertRefusedAsync(supervisor, $"/api/v1/reports/monthly?month={monthName}&format=pdf", "format");

        // The lists' CSV: the caller's scope, every page, as the JSON lists.
        var officerAudits = await CsvListAsync(officer, "/api/v1/audits");
        Assert.Equal(2, officerAudits.Count);
        Assert.All(officerAudits, a => Assert.Equal(City, a["cityCode"]));
        var allAudits = await CsvListAsync(supervisor, "/api/v1/audits");
        Assert.Contains(allAudits, a => a["id"] == otherCityAudit && a["cityCode"] == OtherCity);
        Assert.Equal(3, allAudits.Count);

        var followUps = await CsvListAsync(officer, "/api/v1/follow-ups?pageSize=7");
        var listed = (await officer.GetFromJsonAsync<JsonObject>("/api/v1/follow-ups", Ct))!["total"]!.GetValue<int>();
        Assert.True(listed > 7, $"{listed} follow-ups: more than one page of 7");
        Assert.Equal(listed, followUps.Count);
        Assert.Equal(listed, followUps.Select(f => f["id"]).Distinct().Count());
        Assert.All(followUps, f => Assert.Equal(City, f["cityCode"]));
        using (var notTheirs = await Csv(officer, $"/api/v1/follow-ups?city={OtherCity}"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, notTheirs.StatusCode);
        }

        var alerts = await CsvListAsync(officer, "/api/v1/alerts?state=open");
        Assert.All(alerts, a => Assert.Equal(City, a["cityCode"]));
        await CsvListAsync(officer, "/api/v1/follow-ups/contact-reveals");
        await CsvListAsync(supervisor, "/api/v1/follow-ups/appeals");
    }

    private enum ReportFormat
    {
        Json,
        Csv,
        Xlsx,
        Html,
    }

    private sealed record ReportAnswer(byte[] Body, string Sha256, string GeneratedAt, string? ContentSecurityPolicy);

    /// <summary>The month before this one (two before in the first minutes of a month, before it has settled).</summary>
    private static DateOnly PastMonth()
    {
        var now = DateTimeOffset.UtcNow.ToOffset(Shanghai).AddMinutes(-30);
        return new DateOnly(now.Year, now.Month, 1).AddMonths(-1);
    }

    private static bool InMonth(DateTimeOffset at, DateOnly month)
    {
        var day = DateOnly.FromDateTime(at.ToOffset(Shanghai).DateTime);
        return day >= month && day < month.AddMonths(1);
    }

    private static async Task PostAsync(RunningSystem system, IReadOnlyList<EvaluationInput> batch, Dictionary<string, EvaluationInput> sent)
    {
        using var posted = await system.Client.PostAsJsonAsync("/api/v1/evaluations", new { items = batch }, Ct);
        var answer = (await posted.Content.ReadFromJsonAsync<JsonObject>(Ct))!;
        Assert.True(posted.IsSuccessStatusCode && answer["rejected"]!.GetValue<int>() == 0, answer.ToJsonString());
        foreach (var item in batch)
        {
            sent.TryAdd(item.Id!, item);
        }
    }

    private static async Task<string> OpenAuditAsync(HttpClient supervisor, string institutionId, DateTimeOffset? deadline)
    {
        var opened = await AuditLifecycleTests.Send(supervisor, "/api/v1/audits", new { institutionId, reason = "差评率 above peers", deadline }, HttpStatusCode.Created);
        return opened["id"]!.GetValue<string>();
    }

    /// <summary>
    /// The log stamps each event with the database's clock when it arrives, and the test cannot wait for a month to
    /// end: every event logged so far is given a receipt time before the month's end, as if it had arrived then.
    /// </summary>
    private static async Task ReceivedBeforeAsync(string connectionString, DateTimeOffset at)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        var partitions = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT inhrelid::regclass::text FROM pg_inherits WHERE inhparent = 'event_log'::regclass", connection))
        await using (var reader = await list.ExecuteReaderAsync(Ct))
        {
            while (await reader.ReadAsync(Ct))
            {
                partitions.Add(reader.GetString(0));
            }
        }

        var sql = new StringBuilder();
        partitions.ForEach(p => sql.Append(CultureInfo.InvariantCulture, $"ALTER TABLE {p} DISABLE TRIGGER event_log_append_only;"));
        sql.Append("UPDATE event_log SET received_at = @at;");
        partitions.ForEach(p => sql.Append(CultureInfo.InvariantCulture, $"ALTER TABLE {p} ENABLE TRIGGER event_log_append_only;"));
        await using var move = new NpgsqlCommand(sql.ToString(), connection);
        move.Parameters.AddWithValue("at", at.UtcDateTime);
        await move.ExecuteNonQueryAsync(Ct);
    }

    private static async Task<Dictionary<ReportFormat, ReportAnswer>> AllFormatsAsync(HttpClient client, string month, string? city)
    {
        var answers = new Dictionary<ReportFormat, ReportAnswer>();
        foreach (var (format, type) in new[]
        {
            (ReportFormat.Json, "application/json"), (ReportFormat.Csv, "text/csv"), (ReportFormat.Xlsx, Xlsx), (ReportFormat.Html, "text/html"),
        })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/reports/monthly?month={month}{(city is null ? "" : "&city=" + city)}");
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
            using var response = await client.SendAsync(request, Ct);
            var body = await response.Content.ReadAsByteArrayAsync(Ct);
            Assert.True(response.IsSuccessStatusCode, $"{type}: {(int)response.StatusCode} {Encoding.UTF8.GetString(body)}");
            Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
            answers[format] = new ReportAnswer(
                body,
                response.Headers.GetValues(ReportsApi.Sha256Header).Single(),
                response.Headers.GetValues(ReportsApi.GeneratedAtHeader).Single(),
                response.Headers.TryGetValues("Content-Security-Policy", out var policy) ? policy.Single() : null);
        }

        return answers;
    }

    private static async Task AssertRefusedAsync(HttpClient client, string url, string field)
    {
        using var response = await client.GetAsync(url, Ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, problem!["errors"]![0]!["field"]!.GetValue<string>());
    }

    /// <summary>Each table of a file by name: its rows as column (JSON field) → text, as a person's spreadsheet shows them.</summary>
    private static void AssertTablesMatch(JsonNode report, IReadOnlyDictionary<string, List<Dictionary<string, string?>>> tables, string what)
    {
        Assert.Equal(["report", "areas", "planTargets", "problemItems"], tables.Keys);
        var meta = Assert.Single(tables["report"]);
        Assert.Equal(report["month"]!.GetValue<string>(), meta["month"]);
        Assert.Equal(report["cut"]!.GetValue<DateTimeOffset>(), DateTimeOffset.Parse(meta["cut"]!, CultureInfo.InvariantCulture));

        var areas = tables["areas"];
        JsonNode[] rows = [report["total"]!, .. report["rows"]!.AsArray().Select(r => r!)];
        Assert.Equal(rows.Length, areas.Count);
        for (var i = 0; i < rows.Length; i++)
        {
            Assert.Equal(i == 0 ? "total" : report["memberKind"]!.GetValue<string>(), areas[i]["row"]);
            foreach (var (column, json) in AreaColumns)
            {
                AssertSame(json(rows[i]), areas[i][column], $"{what} areas[{i}].{column}");
            }
        }

        foreach (var (table, columns) in new[] { ("problemItems", ProblemItemColumns), ("planTargets", PlanTargetColumns) })
        {
            var expected = report[table]!.AsArray();
            Assert.Equal(expected.Count, tables[table].Count);
            for (var i = 0; i < expected.Count; i++)
            {
                foreach (var column in columns)
                {
                    AssertSame(expected[i]![column], tables[table][i][column], $"{what} {table}[{i}].{column}");
                }
            }
        }
    }

    /// <summary>Numbers must be equal as numbers (every digit), text as text, null as an empty cell.</summary>
    private static void AssertSame(JsonNode? expected, string? actual, string where)
    {
        if (expected is null)
        {
            Assert.True(string.IsNullOrEmpty(actual), $"{where}: expected empty, found '{actual}'");
            return;
        }

        var value = expected.AsValue();
        if (value.TryGetValue<double>(out var number))
        {
            Assert.True(double.TryParse(actual, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && parsed == number,
                $"{where}: expected {number:R}, found '{actual}'");
        }
        else if (value.TryGetValue<bool>(out var flag))
        {
            Assert.True(actual is not null && (actual.Equals(flag.ToString(), StringComparison.OrdinalIgnoreCase) || actual == (flag ? "1" : "0")),
                $"{where}: expected {flag}, found '{actual}'");
        }
        else
        {
            Assert.Equal(value.GetValue<string>(), actual);
        }
    }

    /// <summary>The report CSV: each table under a line "[name]", then its header ("label key"), rows, and an empty line.</summary>
    private static Dictionary<string, List<Dictionary<string, string?>>> CsvTables(byte[] body)
    {
        var tables = new Dictionary<string, List<Dictionary<string, string?>>>();
        var lines = CsvText.Parse(Encoding.UTF8.GetString(body));
        for (var i = 0; i < lines.Count; i++)
        {
            var name = lines[i][0].Trim('[', ']');
            var keys = lines[++i].Select(Key).ToList();
            var rows = tables[name] = [];
            while (++i < lines.Count && !(lines[i].Count == 1 && lines[i][0].Length == 0))
            {
                rows.Add(keys.Select((k, c) => (k, v: lines[i][c])).ToDictionary(x => x.k, x => (string?)x.v));
            }
        }

        return tables;
    }

    /// <summary>Every sheet of the XLSX, read back with MiniExcel, cells as text the way CSV writes them.</summary>
    private static Dictionary<string, List<Dictionary<string, string?>>> XlsxTables(byte[] body)
    {
        using var stream = new MemoryStream(body);
        var tables = new Dictionary<string, List<Dictionary<string, string?>>>();
        foreach (var sheet in stream.GetSheetNames())
        {
            tables[sheet] = [.. stream.Query(useHeaderRow: true, sheetName: sheet).Cast<IDictionary<string, object?>>()
                .Select(row => row.ToDictionary(c => Key(c.Key), c => c.Value switch
                {
                    null => null,
                    double d => d.ToString("R", CultureInfo.InvariantCulture),
                    IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                    var other => other.ToString(),
                }))];
        }

        return tables;
    }

    /// <summary>The JSON field of a header "好评率 goodRate".</summary>
    private static string Key(string header) => header[(header.LastIndexOf(' ') + 1)..];

    private static Task<HttpResponseMessage> Csv(HttpClient client, string url)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        return client.SendAsync(request, Ct);
    }

    private static async Task<List<Dictionary<string, string>>> CsvListAsync(HttpClient client, string url)
    {
        using var response = await Csv(client, url);
        var body = await response.Content.ReadAsByteArrayAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} {Encoding.UTF8.GetString(body)}");
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal([0xEF, 0xBB, 0xBF], body[..3]);
        var lines = CsvText.Parse(Encoding.UTF8.GetString(body));
        var header = lines[0];
        return [.. lines.Skip(1).Where(l => l.Count > 1 || l[0].Length > 0).Select(l => header.Zip(l).ToDictionary(p => p.First, p => p.Second))];
    }
}

/// <summary>A small RFC 4180 reader for the tests (quoted fields, doubled quotes, CRLF); drops a leading BOM.</summary>
internal static class CsvText
{
    public static List<List<string>> Parse(string text)
    {
        text = text.TrimStart('\uFEFF');
        var lines = new List<List<string>>();
        var line = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                line.Add(cell.ToString());
                cell.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                line.Add(cell.ToString());
                cell.Clear();
                lines.Add(line);
                line = [];
                i++;
            }
            else
            {
                cell.Append(c);
            }
        }

        return lines;
    }
}
