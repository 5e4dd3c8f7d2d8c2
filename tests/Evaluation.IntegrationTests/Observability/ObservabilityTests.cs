using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Evaluation.Contracts.Registry;
using Evaluation.IntegrationTests.Infrastructure;
using Xunit;
using static Evaluation.IntegrationTests.Api.IngestionApiTests;

namespace Evaluation.IntegrationTests.Observability;

/// <summary>What an operator sees of a running system: metrics through a real Prometheus, and the Orleans Dashboard.</summary>
public sealed class ObservabilityTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Institution Here = Pick(InstitutionKind.ComprehensiveCentre);

    [Fact]
    public async Task Prometheus_scrapes_an_API_host_and_reads_back_the_ratings_acknowledged_to_a_source()
    {
        var metricsPort = LoopbackPorts.Free();
        var api = system.CreateApi(new Dictionary<string, string>
        {
            ["Evaluation:Telemetry:PrometheusPort"] = metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Evaluation:Telemetry:PrometheusHost"] = "127.0.0.1",
        });
        using var admin = api.CreateClient();
        admin.DefaultRequestHeaders.Add("X-Admin-Key", RunningSystem.AdminKey);

        await using var prometheus = await PrometheusServer.StartAsync(new Dictionary<string, string[]> { ["evaluation-api"] = [$"127.0.0.1:{metricsPort}"] });
        await StaffWork.EventuallyAsync(async () => await prometheus.QueryAsync("up{job=\"evaluation-api\"}") == 1, "Prometheus to scrape the API host");

        // A source of this test's own: the meters are the process's, and other test classes ingest meanwhile.
        var source = $"metrics-{Guid.NewGuid():N}"[..24];
        using var created = await admin.PostAsJsonAsync("/api/v1/admin/sources", new { name = source }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var key = (await created.Content.ReadFromJsonAsync<JsonObject>(Ct))!["key"]!.GetValue<string>();

        using var sender = api.CreateClient();
        sender.DefaultRequestHeaders.Add("X-Api-Key", key);
        using var first = await sender.PostAsJsonAsync("/api/v1/evaluations", Batch([Rating("1", Here, 5), Rating("2", Here, 4), Rating("3", Here, 9)]), Ct);
        using var again = await sender.PostAsJsonAsync("/api/v1/evaluations", Batch([Rating("2", Here, 4), Rating("4", Here, 2)]), Ct);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);

        // Ratings 1, 2 and 4 are acknowledged; 3 is refused (level 9) and the second 2 is a duplicate.
        var acknowledged = $"evaluation_ratings_acknowledged_total{{job=\"evaluation-api\",source=\"{source}\"}}";
        await StaffWork.EventuallyAsync(async () => await prometheus.QueryAsync(acknowledged) is not null, "the counter to reach Prometheus");
        await StaffWork.EventuallyAsync(async () => await prometheus.QueryAsync(acknowledged) == 3, "Prometheus to read three acknowledged ratings");

        // The log's appends were timed, and Orleans' own meters come through the same endpoint.
        await StaffWork.EventuallyAsync(
            async () => await prometheus.QueryAsync("sum(evaluation_log_append_duration_seconds_count{job=\"evaluation-api\"})") > 0,
            "Prometheus to read the log-append histogram");
        await StaffWork.EventuallyAsync(
            async () => await prometheus.QueryAsync("count({job=\"evaluation-api\",otel_scope_name=\"Microsoft.Orleans\"})") > 0,
            "Prometheus to read Orleans' meters");
    }

    [Fact]
    public async Task The_Orleans_dashboard_refuses_anonymous_callers_and_officers_and_serves_supervisors()
    {
        const string counters = "/console/orleans/DashboardCounters";
        using var anonymous = system.AnonymousClient();
        using (var refused = await anonymous.GetAsync(counters, Ct))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using var officer = await ClientAsync("city-officer", Here.CityCode);
        using (var forbidden = await officer.GetAsync(counters, Ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        }

        using var supervisor = await ClientAsync("province-supervisor", null);
        using (var page = await supervisor.GetAsync("/console/orleans/", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("<html", await page.Content.ReadAsStringAsync(Ct), StringComparison.OrdinalIgnoreCase);
        }

        // The counters come from the silos' half of the dashboard: the two silos of the running system.
        await StaffWork.EventuallyAsync(async () =>
        {
            using var response = await supervisor.GetAsync(counters, Ct);
            return response.IsSuccessStatusCode
                && (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["totalActiveHostCount"]?.GetValue<int>() == 2;
        }, "the dashboard to count the cluster's two silos");
    }

    private async Task<HttpClient> ClientAsync(string role, string? city)
    {
        var client = system.AnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await system.TokenAsync(role, city));
        return client;
    }
}
