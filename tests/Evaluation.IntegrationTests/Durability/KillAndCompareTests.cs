using Evaluation.Contracts.Grains;
using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Measures;
using Evaluation.Domain.Measures;
using Evaluation.Grains.Areas;
using Evaluation.Grains.Registry;
using Evaluation.IntegrationTests.Infrastructure;
using Npgsql;
using Xunit;

namespace Evaluation.IntegrationTests.Durability;

/// <summary>
/// SPEC 4.3, the core invariant: after a silo is killed (or removed) mid-stream and the cluster carries on, every
/// aggregate (institution, city, province) equals a from-scratch SQL recomputation over the log, and every
/// acknowledged item is in the log exactly once.
/// </summary>
public sealed class KillAndCompareTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private static readonly TimeSpan Convergence = TimeSpan.FromSeconds(45);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Aggregates_equal_the_log_after_a_silo_leaves_mid_stream(bool killed)
    {
        await using var system = await EvaluationCluster.StartAsync(database, silos: 3);
        var registry = ShippedRegistry.Sample;
        var traffic = new TrafficGenerator(registry.Institutions, seed: 20261125);
        var acknowledged = new HashSet<string>();
        var ingest = system.Grains.GetGrain<IIngestGrain>(0);

        for (var round = 0; round < 24; round++)
        {
            if (round == 10)
            {
                // Mid-stream, the silo that started first: hard-killed, or removed in an orderly scale-in.
                if (killed)
                {
                    await system.KillAsync(system.Cluster.Silos[0]);
                }
                else
                {
                    await system.Cluster.StopSiloAsync(system.Cluster.Silos[0], TestContext.Current.CancellationToken);
                }
            }

            if (round == 16)
            {
                await system.StartSiloAsync();
            }

            var now = DateTimeOffset.UtcNow;
            var evaluations = traffic.Evaluations(150, now);
            foreach (var result in await WithRetryAsync(() => ingest.IngestEvaluations(evaluations)))
            {
                Assert.NotEqual(ItemStatus.Rejected, result.Status);
                acknowledged.Add($"0:{result.Id}");
            }

            var records = traffic.ServiceRecords(80, now);
            var answers = await WithRetryAsync(() => ingest.IngestServiceRecords(records));
            for (var i = 0; i < records.Count; i++)
            {
                Assert.NotEqual(ItemStatus.Rejected, answers[i].Status);
                acknowledged.Add($"{(records[i].CompletedAt is null ? 1 : 2)}:{records[i].Id}");
            }
        }

        await AssertEveryAcknowledgedItemLoggedOnceAsync(acknowledged);

        var institutions = registry.Institutions;
        await AssertConvergesAsync(
            "institution",
            institutions.ToDictionary(i => i.Id, i => i.Id),
            async id => (await system.Grains.GetGrain<IInstitutionGrain>(id).GetAggregate()).Aggregate);
        await AssertConvergesAsync(
            "city",
            institutions.ToDictionary(i => i.Id, i => i.CityCode),
            async code => (await system.Grains.GetGrain<ICityGrain>(code).GetRollup()).Aggregate);
        await AssertConvergesAsync(
            "province",
            institutions.ToDictionary(i => i.Id, _ => ProvinceGrain.Key),
            async _ => await system.Grains.GetGrain<IProvinceGrain>(ProvinceGrain.Key).GetAggregate());
    }

    /// <summary>A source whose call failed sends the same batch again; the log's keys make that safe.</summary>
    private static async Task<IReadOnlyList<ItemResult>> WithRetryAsync(Func<Task<IReadOnlyList<ItemResult>>> send)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await send();
            }
            catch (Exception) when (attempt < 10)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }
    }

    private async Task AssertEveryAcknowledgedItemLoggedOnceAsync(HashSet<string> acknowledged)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT kind, source_id, count(*) FROM event_log GROUP BY kind, source_id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var logged = new HashSet<string>();
        while (await reader.ReadAsync())
        {
            Assert.Equal(1, reader.GetInt64(2));
            logged.Add($"{reader.GetInt16(0)}:{reader.GetString(1)}");
        }

        // A re-sent open of an already completed record is acknowledged as a duplicate and never logged as open.
        var missing = acknowledged.Where(a => !logged.Contains(a) && !(a.StartsWith("1:", StringComparison.Ordinal) && logged.Contains("2:" + a[2..]))).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} acknowledged items are not in the log, e.g. {string.Join(", ", missing.Take(5))}");
        Assert.True(logged.IsSubsetOf(acknowledged), "the log holds items that were never acknowledged");
    }

    private async Task AssertConvergesAsync(string what, Dictionary<string, string> areaOfInstitution, Func<string, Task<AggregateData>> read)
    {
        var expected = await LogRecomputation.ByAreaAsync(database.ConnectionString, areaOfInstitution);
        await ConvergesAsync(expected, areaOfInstitution.Values.Distinct(), read, what);
    }

    /// <summary>Waits until every area's aggregate equals the recomputation; reports push upward asynchronously.</summary>
    internal static async Task ConvergesAsync(Dictionary<string, AggregateData> expected, IEnumerable<string> areas, Func<string, Task<AggregateData>> read, string what = "institution")
    {
        var deadline = DateTime.UtcNow + Convergence;
        while (true)
        {
            var differences = new List<string>();
            foreach (var area in areas)
            {
                var actual = await read(area);
                var reference = expected.TryGetValue(area, out var e) ? e : new AggregateData();
                differences.AddRange(Aggregation.Differences(reference, actual).Select(d => $"{what} {area}: {d}"));
            }

            if (differences.Count == 0)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{differences.Count} differences from the log remain, e.g.\n{string.Join("\n", differences.Take(10))}");
            await Task.Delay(500);
        }
    }
}
