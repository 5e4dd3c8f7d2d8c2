using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Evaluation.ClientApi.Security;
using Evaluation.Contracts.Grains;
using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;
using Evaluation.Grains.Registry;
using Evaluation.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Evaluation.IntegrationTests.Api;

/// <summary>
/// Alerts from case work on the real system, with case time moved by the test: 差评 follow-ups left overdue past
/// the grace, a city calling back late while its peers call back on time, an audit past its deadline. Each comes
/// from a detection run on the same list and live stream as the rating alerts.
/// </summary>
public sealed class CaseAlertsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Follow_ups_left_overdue_alert_the_institution_and_a_city_calling_back_late_lags_its_peers()
    {
        // Monday 23 November 2026, 10:00 in Shanghai; the call-back deadline is the end of the next working day.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.FromHours(8)));
        await using var system = new RunningSystem { CaseTime = new CaseTime(clock, TimeSpan.FromSeconds(1)) };
        await system.InitializeAsync();
        var cities = ShippedRegistry.Sample.Institutions
            .Where(i => i.Channels.Count > 0 && i.Services.Count > 0)
            .GroupBy(i => i.CityCode)
            .Take(3)
            .Select(g => g.First())
            .ToList();
        var (late, onTime) = (cities[0], cities.Skip(1).ToList());
        using var supervisor = AuditLifecycleTests.Client(system, await system.TokenAsync(Roles.Supervisor, name: "sup-li"));
        using var stream = await AlertsApiTests.OpenStreamAsync(supervisor);

        // The city concerned is told on its officer's stream; a peer city's officer is not.
        using var lateStreamClient = AuditLifecycleTests.Client(system, await system.TokenAsync(Roles.CityOfficer, late.CityCode, name: "off-late"));
        using var lateStream = await AlertsApiTests.OpenStreamAsync(lateStreamClient);
        using var peerStreamClient = AuditLifecycleTests.Client(system, await system.TokenAsync(Roles.CityOfficer, onTime[0].CityCode, name: "off-peer"));
        using var peerStream = await AlertsApiTests.OpenStreamAsync(peerStreamClient);

        var ids = new Dictionary<Institution, List<string>>();
        var items = new List<JsonNode>();
        foreach (var institution in cities)
        {
            ids[institution] = [.. Enumerable.Range(0, institution == late ? 12 : 10).Select(n => $"lag-{institution.Id}-{n}")];
            foreach (var id in ids[institution])
            {
                var bad = IngestionApiTests.Rating(id, institution, level: 1, occurredAt: DateTimeOffset.UtcNow.AddHours(-3));
                bad["realName"] = true;
                bad["contact"] = new JsonObject { ["name"] = "回访测试人", ["phone"] = "13800001111" };
                items.Add(bad);
            }
        }

        using (var posted = await system.Client.PostAsJsonAsync("/api/v1/evaluations", IngestionApiTests.Batch(items), Ct))
        {
            Assert.Equal(items.Count, (await posted.Content.ReadFromJsonAsync<JsonObject>(Ct))!["accepted"]!.GetValue<int>());
        }

        // The peer cities call back on time; the lagging city's follow-ups are left alone.
        foreach (var institution in onTime)
        {
            using var officer = AuditLifecycleTests.Client(system, await system.TokenAsync(Roles.CityOfficer, institution.CityCode, name: "off-" + institution.CityCode));
            foreach (var id in ids[institution])
            {
                await StaffWork.EventuallyAsync(async () => await TryCallBackAsync(officer, id), $"follow-up {id} to open and be called back");
            }
        }

        using (var lateOfficer = AuditLifecycleTests.Client(system, await system.TokenAsync(Roles.CityOfficer, late.CityCode)))
        {
            foreach (var id in ids[late])
            {
                await StaffWork.EventuallyAsync(async () => (await lateOfficer.GetAsync($"/api/v1/follow-ups/{id}", Ct)).StatusCode == HttpStatusCode.OK, $"follow-up {id} to open");
            }
        }

        // Six days on, the lagging city's call-backs are four days overdue: past the one-day grace.
        clock.Advance(TimeSpan.FromDays(6));
        var overdue = await RunUntilAlertedAsync(supervisor, "follow-up-overdue", late.CityCode, late.Id);
        Assert.Equal(late.CityCode, overdue["cityCode"]!.GetValue<string>());
        Assert.Equal("high", overdue["severity"]!.GetValue<string>());
        Assert.Equal("overdueFollowUps", overdue["explanation"]![0]!["measure"]!.GetValue<string>());
        Assert.Equal(12, overdue["explanation"]![0]!["value"]!.GetValue<double>());
        Assert.DoesNotContain(
            (await supervisor.GetFromJsonAsync<JsonObject>("/api/v1/alerts?kind=follow-up-overdue", Ct))!["items"]!.AsArray(),
            a => onTime.Any(i => i.Id == a!["institutionId"]!.GetValue<string>()));

        // The sweep noted the missed call-backs, so the city's handling counts them overdue and missed.
        var city = system.Cluster.Grains.GetGrain<ICityGrain>(late.CityCode);
        await StaffWork.EventuallyAsync(async () => (await city.GetMeasures()).Handling[Contracts.Measures.Windows.Days30] is { Overdue: 12, CallBackOnTimeRate: 0.0 }, "the sweep's overdue notes to reach the city's handling measures");

        var lag = await RunUntilAlertedAsync(supervisor, "handling-lag", late.CityCode, late.CityCode);
        Assert.Equal("medium", lag["severity"]!.GetValue<string>());
        var line = lag["explanation"]!.AsArray()[0]!;
        Assert.Equal("callBackOnTimeRate", line["measure"]!.GetValue<string>());
        Assert.Equal(0, line["value"]!.GetValue<double>());
        Assert.Equal(1, line["peerMedian"]!.GetValue<double>());
        Assert.Equal("d30", line["window"]!.GetValue<string>());
        Assert.Equal("近30天差评回访按时率 0.0%（应回访 12 件），其他地市中位数 100.0%", line["text"]!.GetValue<string>());
        Assert.DoesNotContain(
            (await supervisor.GetFromJsonAsync<JsonObject>("/api/v1/alerts?kind=handling-lag", Ct))!["items"]!.AsArray(),
            a => onTime.Any(i => i.CityCode == a!["institutionId"]!.GetValue<string>()));

        // Both arrive on the supervisor's and the lagging city's live streams, in the order raised, and on no other city's.
        foreach (var alert in new[] { overdue, lag }.OrderBy(a => a["id"]!.GetValue<long>()))
        {
            foreach (var listening in new[] { stream, lateStream })
            {
                var streamed = await listening.NextAlertAsync(a => a["id"]!.GetValue<long>() == alert["id"]!.GetValue<long>());
                Assert.Equal(alert["reason"]!.GetValue<string>(), streamed["reason"]!.GetValue<string>());
            }
        }

        Assert.All(await peerStream.DrainAsync(TimeSpan.FromSeconds(3)), a => Assert.Equal(onTime[0].CityCode, a["cityCode"]!.GetValue<string>()));
    }

    [Fact]
    public async Task An_audit_past_its_deadline_alerts_its_institution_on_the_stream()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.FromHours(8)));
        await using var system = new RunningSystem { CaseTime = new CaseTime(clock, TimeSpan.FromSeconds(1)) };
        await system.InitializeAsync();
        var institution = ShippedRegistry.Sample.Institutions.First(i => i.CityCode == "440300");
        using var supervisor = AuditLifecycleTests.Client(system, await system.TokenAsync(Roles.Supervisor, name: "sup-li"));
        using var stream = await AlertsApiTests.OpenStreamAsync(supervisor);

        var opened = await AuditLifecycleTests.Send(supervisor, "/api/v1/audits", new { institutionId = institution.Id, reason = "差评率 far above peers" }, HttpStatusCode.Created);
        var id = opened["id"]!.GetValue<string>();
        using (var run = await supervisor.PostAsync("/api/v1/detection/runs", null, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, run.StatusCode);
        }

        Assert.Empty((await supervisor.GetFromJsonAsync<JsonObject>("/api/v1/alerts?kind=audit-overdue", Ct))!["items"]!.AsArray());

        // 15 working days from Monday 23 November end with Monday 14 December; 22 days on it is past.
        clock.Advance(TimeSpan.FromDays(22));
        var alert = await RunUntilAlertedAsync(supervisor, "audit-overdue", institution.CityCode, institution.Id);
        Assert.Equal("high", alert["severity"]!.GetValue<string>());
        var line = alert["explanation"]!.AsArray()[0]!;
        Assert.Equal("auditOverdueDays", line["measure"]!.GetValue<string>());
        Assert.Contains($"督查 {id}（opened）", line["text"]!.GetValue<string>(), StringComparison.Ordinal);

        var streamed = await stream.NextAlertAsync(a => a["id"]!.GetValue<long>() == alert["id"]!.GetValue<long>());
        Assert.Equal(("audit-overdue", institution.Id), (streamed["reason"]!.GetValue<string>(), streamed["institutionId"]!.GetValue<string>()));
    }

    private static async Task<bool> TryCallBackAsync(HttpClient officer, string id)
    {
        using var response = await officer.PostAsJsonAsync($"/api/v1/follow-ups/{id}/call-back", new { note = "called the rater back" }, Ct);
        return response.IsSuccessStatusCode;
    }

    /// <summary>Runs detection through the API until an open alert of <paramref name="kind"/> on <paramref name="subject"/> is listed.</summary>
    private static async Task<JsonObject> RunUntilAlertedAsync(HttpClient supervisor, string kind, string city, string subject)
    {
        JsonObject? found = null;
        await StaffWork.EventuallyAsync(async () =>
        {
            using var run = await supervisor.PostAsync("/api/v1/detection/runs", null, Ct);
            Assert.Equal(HttpStatusCode.OK, run.StatusCode);
            var page = await supervisor.GetFromJsonAsync<JsonObject>($"/api/v1/alerts?state=open&city={city}&kind={kind}", Ct);
            found = page!["items"]!.AsArray().Select(a => a!.AsObject()).FirstOrDefault(a => a["institutionId"]!.GetValue<string>() == subject);
            return found is not null;
        }, $"an open {kind} alert on {subject}");
        return found!;
    }
}
