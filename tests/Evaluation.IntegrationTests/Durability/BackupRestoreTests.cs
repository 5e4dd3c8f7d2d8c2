using System.Diagnostics;
using System.Text.Json.Nodes;
using Evaluation.Contracts.Grains;
using Evaluation.Contracts.Measures;
using Evaluation.Domain.Registry;
using Evaluation.Grains.Areas;
using Evaluation.Grains.Registry;
using Evaluation.IntegrationTests.Infrastructure;
using Xunit;

namespace Evaluation.IntegrationTests.Durability;

/// <summary>
/// Issue 18.5, the restore drill: a backup (ops/pg/backup) taken while sources are sending, restored (ops/pg/restore)
/// into a fresh database, the system started on it. The restored log is the backup's snapshot: every rating
/// acknowledged before the backup began, each once, and nothing no source was told. Every aggregate equals the
/// recomputation over that log, and the public answers for the institutions no rating reached after the snapshot are
/// those the system gave before the backup (but for the figures shrunk toward the province's ratings, which moved).
/// </summary>
public sealed class BackupRestoreTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("eval-backup-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task A_backup_taken_during_ingest_restores_to_a_system_that_agrees_with_its_log_and_its_answers()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var system = new RunningSystem();
        await system.InitializeAsync();
        var registry = ShippedRegistry.Sample;

        // An institution's public answer is ranked within its region's peers: the quiet region gets its ratings before
        // the backup and none after, so its public answers are settled; the others stay busy.
        var sample = InstitutionRegistry.LoadSample();
        var quietRegion = sample.PeerGroupOf(registry.Institutions[0]).Region;
        var quiet = registry.Institutions.Where(i => sample.PeerGroupOf(i).Region == quietRegion).Take(12).ToList();
        var busy = registry.Institutions.Where(i => sample.PeerGroupOf(i).Region != quietRegion).ToList();
        await new OutageTimingSource(system.Client, new TrafficGenerator(quiet, seed: 1850) { ResendShare = 0 }).SendAsync(batches: 8);
        var answersBefore = await PublicAnswersAsync(system.Client, quiet);

        // The busy ones get ratings all along, the backup taken in the middle.
        var sources = Enumerable.Range(0, 2)
            .Select(i => new OutageTimingSource(system.Client, new TrafficGenerator(busy, seed: 1860 + i) { ResendShare = 0 }))
            .ToList();
        using var stop = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var sending = sources.Select(s => Task.Run(() => s.RunAsync(clock, stop.Token), ct)).ToList();
        var file = Path.Combine(directory, "evaluation.dump");
        TimeSpan backupStarted, backupEnded;
        try
        {
            await WaitForAsync(() => sources.Sum(s => s.Acknowledged.Count) >= 300);
            backupStarted = clock.Elapsed;
            await OpsScript.RunAsync("pg/backup", new Dictionary<string, string> { ["EVAL_DB"] = system.ConnectionString }, file);
            backupEnded = clock.Elapsed;
            await WaitForAsync(() => sources.Sum(s => s.AcknowledgedSince(backupEnded)) >= 200);
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(sending);
        }

        Assert.All(sources, s => Assert.Empty(s.Refusals));
        var acknowledged = sources.SelectMany(s => s.Acknowledged).ToDictionary();
        Assert.Contains(acknowledged.Values, t => t > backupEnded);

        var restoredDatabase = new PostgresDatabase
        {
            CreateWith = name => OpsScript.RunAsync("pg/restore", new Dictionary<string, string> { ["EVAL_DB"] = PostgresDatabase.SharedServer }, file, name),
        };
        await using var restored = new RunningSystem { Database = restoredDatabase };
        await restored.InitializeAsync();

        // The snapshot: everything acknowledged before the backup began, each once; only what was acknowledged.
        var held = await LoggedRatings.RowsPerIdAsync(restored.ConnectionString);
        Assert.All(acknowledged.Where(a => a.Value < backupStarted), a => Assert.Equal(1, held.GetValueOrDefault(a.Key)));
        var busyHeld = held.Keys.Where(id => !id.StartsWith("t1850-", StringComparison.Ordinal)).ToList();
        Assert.All(busyHeld, id => Assert.True(acknowledged.ContainsKey(id), $"{id} is in the restored log but no source was told it was stored"));
        Assert.All(held.Values, rows => Assert.Equal(1, rows));
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"backup during ingest: {acknowledged.Count(a => a.Value < backupStarted)} ratings acknowledged before it began, " +
            $"{acknowledged.Count(a => a.Value < backupEnded)} before it ended, {busyHeld.Count} in the restored log, {acknowledged.Count} acknowledged in all; " +
            $"backup took {(backupEnded - backupStarted).TotalSeconds:F1} s, {new FileInfo(file).Length} bytes");

        // Every aggregate of the restored system equals the recomputation over the restored log.
        var institutions = registry.Institutions;
        await ConvergesAsync(restored, institutions.ToDictionary(i => i.Id, i => i.Id),
            async id => (await restored.Cluster.Grains.GetGrain<IInstitutionGrain>(id).GetAggregate()).Aggregate, "institution");
        await ConvergesAsync(restored, institutions.ToDictionary(i => i.Id, i => i.CityCode),
            async code => (await restored.Cluster.Grains.GetGrain<ICityGrain>(code).GetRollup()).Aggregate, "city");
        await ConvergesAsync(restored, institutions.ToDictionary(i => i.Id, _ => ProvinceGrain.Key),
            async _ => await restored.Cluster.Grains.GetGrain<IProvinceGrain>(ProvinceGrain.Key).GetAggregate(), "province");

        // The public answers for the institutions untouched since the snapshot are those given before the backup.
        Assert.Equal(answersBefore, await PublicAnswersAsync(restored.Client, quiet));
    }

    private static async Task ConvergesAsync(RunningSystem system, Dictionary<string, string> areaOfInstitution, Func<string, Task<AggregateData>> read, string what)
    {
        var expected = await LogRecomputation.ByAreaAsync(system.ConnectionString, areaOfInstitution);
        await KillAndCompareTests.ConvergesAsync(expected, areaOfInstitution.Values.Distinct(), read, what);
    }

    private static async Task<List<string>> PublicAnswersAsync(HttpClient client, IEnumerable<Evaluation.Contracts.Registry.Institution> institutions)
    {
        var answers = new List<string>();
        foreach (var institution in institutions)
        {
            var answer = JsonNode.Parse(await client.GetStringAsync($"/api/v1/public/institutions/{institution.Id}"))!;
            answers.Add(OwnFigures(answer).ToJsonString());
        }

        return answers;
    }

    /// <summary>
    /// The answer without the moment it was computed at and without the two figures shrunk toward a prior that may
    /// fall back to the whole province's ratings (the smoothed score and its interval), which the busy regions moved
    /// after the backup: every count, level, rate and handling figure of the institution's own data stays.
    /// </summary>
    private static JsonNode OwnFigures(JsonNode node)
    {
        if (node is JsonObject obj)
        {
            obj.Remove("asOf");
            obj.Remove("smoothedScore");
            obj.Remove("interval");
        }

        foreach (var child in node switch { JsonObject o => o.Select(p => p.Value), JsonArray a => a, _ => [] })
        {
            if (child is not null)
            {
                OwnFigures(child);
            }
        }

        return node;
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the sources did not get enough ratings acknowledged");
            await Task.Delay(100);
        }
    }
}
