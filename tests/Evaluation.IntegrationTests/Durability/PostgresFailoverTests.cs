using System.Diagnostics;
using System.Net;
using Evaluation.Contracts.Grains;
using Evaluation.Grains.Registry;
using Evaluation.IntegrationTests.Infrastructure;
using Npgsql;
using Xunit;

namespace Evaluation.IntegrationTests.Durability;

/// <summary>
/// Issue 18.4: the system on a pg_auto_failover formation (primary + synchronous standby) through a multi-host
/// connection string, sources sending all along. The primary is lost (its machine killed) or handed over (a planned
/// switchover); every rating acknowledged to a source is on the new primary exactly once, ingestion resumes without
/// restarting anything, and the time no batch was acknowledged is measured.
/// </summary>
public sealed class PostgresFailoverTests(HaPostgres formation) : IClassFixture<HaPostgres>
{
    private const int Sources = 3;
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(90);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task No_acknowledged_rating_is_lost_and_ingestion_resumes_when_the_primary_changes(bool crash)
    {
        formation.Require();
        var ct = TestContext.Current.CancellationToken;
        await formation.StartAsync();
        var database = new PostgresDatabase(formation.Server);
        await using var system = new RunningSystem { Database = database };
        await system.InitializeAsync();
        var registry = ShippedRegistry.Sample;
        var sources = Enumerable.Range(0, Sources)
            .Select(i => new OutageTimingSource(system.Client, new TrafficGenerator(registry.Institutions, seed: (crash ? 1800 : 1810) + i) { ResendShare = 0 }))
            .ToList();
        using var stop = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var sending = sources.Select(s => Task.Run(() => s.RunAsync(clock, stop.Token), ct)).ToList();
        int oldPrimary;
        TimeSpan faultAt, resumedAt;
        try
        {
            await WaitForAsync(() => sources.Sum(s => s.Acknowledged.Count) >= 300, "ingestion did not start");
            oldPrimary = await formation.PrimaryPortAsync();
            faultAt = clock.Elapsed;
            await (crash ? formation.CrashPrimaryAsync() : formation.SwitchOverAsync());

            // Resumed: every source has had batches acknowledged well after the fault, nothing restarted.
            await WaitForAsync(() => sources.All(s => s.AcknowledgedSince(faultAt) >= 100), "ingestion did not resume after the failover");
            resumedAt = clock.Elapsed;
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(sending);
        }

        var newPrimary = await formation.PrimaryPortAsync();
        Assert.NotEqual(oldPrimary, newPrimary);
        Assert.All(sources, s => Assert.Empty(s.Refusals));
        Assert.All(sources, s => Assert.Equal(0, s.UnavailableWithoutRetryAfter));
        var acknowledged = sources.SelectMany(s => s.Acknowledged.Keys).ToList();
        var acknowledgedBeforeFault = sources.SelectMany(s => s.Acknowledged.Where(a => a.Value < faultAt).Select(a => a.Key)).ToList();
        var held = await RowsPerIdAsync(database.ConnectionString, newPrimary);
        Assert.Equal(acknowledgedBeforeFault.Count, acknowledgedBeforeFault.Count(held.ContainsKey));
        Assert.All(acknowledged, id => Assert.Equal(1, held.GetValueOrDefault(id)));

        var gap = LongestSilence(sources.SelectMany(s => s.AcknowledgedAt), faultAt);
        var longestPerSource = sources.Max(s => LongestSilence(s.AcknowledgedAt, faultAt));
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{(crash ? "primary killed" : "planned switchover")}: {acknowledgedBeforeFault.Count} ratings acknowledged before the fault, " +
            $"{acknowledgedBeforeFault.Count(held.ContainsKey)} of them on the new primary (port {newPrimary}); " +
            $"{acknowledged.Count} acknowledged in all, each held once; no batch acknowledged for {gap.TotalSeconds:F1} s " +
            $"(longest wait of one source {longestPerSource.TotalSeconds:F1} s); {sources.Sum(s => s.Unavailable)} answers 503 with " +
            $"Retry-After; every source had 100 more acknowledged {(resumedAt - faultAt).TotalSeconds:F1} s after the fault");

        // The aggregates rebuilt after the fault equal the log, and every other connection of the system works: the
        // public reads, the follow-up store, the health of PostgreSQL, and a new API host's membership and key ring
        // (the sign-in form carries an antiforgery token, protected with the key ring kept in PostgreSQL).
        var expected = await LogRecomputation.ByAreaAsync(database.ConnectionString, registry.Institutions.ToDictionary(i => i.Id, i => i.Id));
        await KillAndCompareTests.ConvergesAsync(expected, registry.Institutions.Select(i => i.Id), async id =>
            (await system.Cluster.Grains.GetGrain<IInstitutionGrain>(id).GetAggregate()).Aggregate);
        await AnswersAsync(system.Client, "/health/dependencies");
        await AnswersAsync(system.Client, $"/api/v1/public/institutions/{registry.Institutions[0].Id}");
        using var anotherHost = system.CreateApi().CreateClient();
        await AnswersAsync(anotherHost, "/console/login");
        using var supervisor = system.CreateApi().CreateClient();
        supervisor.DefaultRequestHeaders.Authorization = new("Bearer", await system.TokenAsync("province-supervisor"));
        await AnswersAsync(supervisor, $"/api/v1/follow-ups?city={registry.Institutions[0].CityCode}");
    }

    /// <summary>The longest time between two acknowledged batches (of any source) that ends after the fault.</summary>
    private static TimeSpan LongestSilence(IEnumerable<TimeSpan> acknowledgedAt, TimeSpan faultAt)
    {
        var times = acknowledgedAt.Order().ToList();
        return Enumerable.Range(1, times.Count - 1).Where(i => times[i] > faultAt).Max(i => times[i] - times[i - 1]);
    }

    /// <summary>The log as the given node alone holds it.</summary>
    private static Task<Dictionary<string, long>> RowsPerIdAsync(string connectionString, int port) =>
        LoggedRatings.RowsPerIdAsync(new NpgsqlConnectionStringBuilder(connectionString)
        {
            Host = "127.0.0.1",
            Port = port,
            ApplicationName = "failover-check",
            TargetSessionAttributes = null,
        }.ConnectionString);

    /// <summary>The system answers 200 here within the recovery time (a read may still meet a fault being cleared).</summary>
    private static async Task AnswersAsync(HttpClient client, string path)
    {
        var deadline = DateTime.UtcNow + Recovery;
        while (true)
        {
            using var response = await client.GetAsync(path);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{path} still answers {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            await Task.Delay(500);
        }
    }

    private static async Task WaitForAsync(Func<bool> condition, string failure)
    {
        var deadline = DateTime.UtcNow + Recovery;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(100);
        }
    }
}
