using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Evaluation.ClientApi.Extensions;
using Evaluation.Grains.Registry;
using Evaluation.IntegrationTests.Api;
using Evaluation.IntegrationTests.Infrastructure;
using Xunit;

namespace Evaluation.IntegrationTests.Durability;

/// <summary>
/// Faults reach callers as answers they can act on: silos gone → 503 with a jittered Retry-After (never a bare
/// 500); PostgreSQL down → the API hosts stay ready (they can still serve) while the dependency check says degraded.
/// </summary>
public sealed class FaultAnswerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task With_every_silo_gone_sources_and_readers_get_503_with_a_retry_after()
    {
        await using var system = new RunningSystem();
        await system.InitializeAsync();
        var institution = ShippedRegistry.Sample.Institutions.First(i => i.Channels.Count > 0 && i.Services.Count > 0);
        foreach (var silo in system.Cluster.Cluster.Silos.ToList())
        {
            await system.Cluster.Cluster.StopSiloAsync(silo, Ct);
        }

        using var capture = LogCapture.Open();
        var batch = IngestionApiTests.Batch([IngestionApiTests.Rating("fault-1", institution, level: 4)]);
        var retryAfters = new HashSet<int>();
        for (var attempt = 0; attempt < 6; attempt++)
        {
            // A query string of its own, so the public read is not answered from the API host's cache.
            foreach (var request in new Func<Task<HttpResponseMessage>>[]
            {
                () => system.Client.PostAsJsonAsync("/api/v1/evaluations", batch, Ct),
                () => system.Client.GetAsync($"/api/v1/public/institutions/{institution.Id}?attempt={attempt}", Ct),
            })
            {
                using var response = await request();
                var body = await response.Content.ReadAsStringAsync(Ct);
                Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable,
                    $"{(int)response.StatusCode}: {body}\n{string.Join("\n", LogCapture.Lines.Where(l => l.StartsWith("Error", StringComparison.Ordinal)).Take(3))}");
                Assert.Contains("Temporarily unavailable", body, StringComparison.Ordinal);
                var retryAfter = int.Parse(response.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture);
                Assert.InRange(retryAfter, TransientFaults.MinRetryAfterSeconds, TransientFaults.MaxRetryAfterSeconds);
                retryAfters.Add(retryAfter);
            }
        }

        Assert.True(retryAfters.Count > 1, "the Retry-After values are spread, not all the same");
    }

    [Fact]
    public async Task With_postgresql_down_the_api_stays_ready_and_reports_the_dependency_degraded()
    {
        await using var server = new PrivatePostgres();
        await server.InitializeAsync();
        var database = new PostgresDatabase(server.Server);
        await using var system = new RunningSystem { Database = database };
        await system.InitializeAsync();
        using var client = system.AnonymousClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/dependencies", Ct)).StatusCode);

        await server.CrashAsync();
        try
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready", Ct)).StatusCode);
            using var dependencies = await client.GetAsync("/health/dependencies", Ct);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, dependencies.StatusCode);
            Assert.Equal("Degraded", await dependencies.Content.ReadAsStringAsync(Ct));
        }
        finally
        {
            // Connections pooled before the crash are dead; the teardown needs fresh ones.
            await server.StartAsync();
            Npgsql.NpgsqlConnection.ClearAllPools();
        }
    }
}
