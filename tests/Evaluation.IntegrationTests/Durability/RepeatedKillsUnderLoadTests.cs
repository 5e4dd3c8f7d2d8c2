using System.Collections.Concurrent;
using Evaluation.Contracts.Grains;
using Evaluation.Contracts.Ingestion;
using Evaluation.Grains.Registry;
using Evaluation.IntegrationTests.Infrastructure;
using Npgsql;
using Xunit;

namespace Evaluation.IntegrationTests.Durability;

/// <summary>
/// Silos are hard-killed again and again while a load generator keeps ingesting and retrying. Afterwards
/// every acknowledged item is in the log exactly once (compared with the generator's own record of its
/// acknowledgements), and no institution's aggregate differs from the log.
/// </summary>
public sealed class RepeatedKillsUnderLoadTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private const int Kills = 3;

    [Fact]
    public async Task Nothing_acknowledged_is_lost_or_counted_twice_while_silos_keep_dying()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var system = await EvaluationCluster.StartAsync(database, silos: 3);
        var registry = ShippedRegistry.Sample;
        var acknowledged = new ConcurrentDictionary<string, byte>();
        using var stop = new CancellationTokenSource();
        var failures = 0;

        var load = Task.Run(async () =>
        {
            var traffic = new TrafficGenerator(registry.Institutions, seed: 77);
            var ingest = system.Grains.GetGrain<IIngestGrain>(0);
            while (!stop.IsCancellationRequested)
            {
                var batch = traffic.Evaluations(100, DateTimeOffset.UtcNow);
                for (var attempt = 0; ; attempt++)
                {
                    try
                    {
                        foreach (var result in await ingest.IngestEvaluations(TestSources.Default, batch))
                        {
                            Assert.NotEqual(ItemStatus.Rejected, result.Status);
                            acknowledged.TryAdd(result.Id!, 0);
                        }

                        break;
                    }
                    catch (Exception) when (attempt < 20)
                    {
                        Interlocked.Increment(ref failures);
                        await Task.Delay(500, CancellationToken.None);
                    }
                }
            }
        }, ct);

        for (var kill = 0; kill < Kills; kill++)
        {
            await Task.Delay(TimeSpan.FromSeconds(3), ct);
            await system.KillAsync(system.Cluster.Silos[Random.Shared.Next(system.Cluster.Silos.Count)]);
            await system.StartSiloAsync();
        }

        await Task.Delay(TimeSpan.FromSeconds(2), ct);
        await stop.CancelAsync();
        await load;

        Assert.True(acknowledged.Count > 1000, $"the load generator should have got well over a thousand acknowledgements, got {acknowledged.Count}");
        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand("SELECT source_id, count(*) FROM event_log WHERE kind = 0 GROUP BY source_id", connection);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var logged = new HashSet<string>();
            while (await reader.ReadAsync(ct))
            {
                Assert.Equal(1, reader.GetInt64(1));
                logged.Add(reader.GetString(0));
            }

            Assert.True(logged.SetEquals(acknowledged.Keys), $"log holds {logged.Count} ratings, the generator saw {acknowledged.Count} acknowledged");
        }

        var expected = await LogRecomputation.ByAreaAsync(database.ConnectionString, registry.Institutions.ToDictionary(i => i.Id, i => i.Id));
        await KillAndCompareTests.ConvergesAsync(expected, registry.Institutions.Select(i => i.Id), async id =>
            (await system.Grains.GetGrain<IInstitutionGrain>(id).GetAggregate()).Aggregate);
        TestContext.Current.SendDiagnosticMessage($"{acknowledged.Count} ratings acknowledged, {Kills} silos killed, {failures} failed calls retried, 0 lost");
    }
}
