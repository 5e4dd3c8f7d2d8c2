using System.Collections.Concurrent;
using Evaluation.Contracts.Grains;
using Evaluation.Contracts.Ingestion;
using Evaluation.Grains.Registry;
using Evaluation.IntegrationTests.Infrastructure;
using Npgsql;
using Xunit;

namespace Evaluation.IntegrationTests.Durability;

/// <summary>
/// PostgreSQL crashes and comes back while sources keep sending. Sources get a clear, retryable error
/// and never a false acknowledgement; the system recovers without a restart; retried batches count once.
/// </summary>
public sealed class DatabaseOutageTests : IAsyncLifetime
{
    private readonly PrivatePostgres server = new();
    private PostgresDatabase database = null!;

    public async ValueTask InitializeAsync()
    {
        await server.InitializeAsync();
        database = new PostgresDatabase(server.Server);
        await database.InitializeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await database.DisposeAsync();
        await server.DisposeAsync();
    }

    [Fact]
    public async Task A_database_crash_gives_retryable_errors_and_nothing_acknowledged_is_lost()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var system = await EvaluationCluster.StartAsync(database, silos: 2);
        var registry = ShippedRegistry.Sample;
        var acknowledged = new ConcurrentDictionary<string, byte>();
        var unavailable = 0;
        using var stop = new CancellationTokenSource();

        var load = Task.Run(async () =>
        {
            var traffic = new TrafficGenerator(registry.Institutions, seed: 5);
            var ingest = system.Grains.GetGrain<IIngestGrain>(0);
            while (!stop.IsCancellationRequested)
            {
                var batch = traffic.Evaluations(50, DateTimeOffset.UtcNow);
                while (true)
                {
                    try
                    {
                        foreach (var result in await ingest.IngestEvaluations(TestSources.Default, batch))
                        {
                            acknowledged.TryAdd(result.Id!, 0);
                        }

                        break;
                    }
                    catch (LogUnavailableException)
                    {
                        Interlocked.Increment(ref unavailable);
                        await Task.Delay(200, CancellationToken.None);
                    }
                }
            }
        }, ct);

        await Task.Delay(TimeSpan.FromSeconds(2), ct);
        await server.CrashAsync();
        var atCrash = acknowledged.Count;
        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        var duringOutage = acknowledged.Count;
        await server.StartAsync();
        await Task.Delay(TimeSpan.FromSeconds(5), ct);
        await stop.CancelAsync();
        await load;

        Assert.True(unavailable > 0, "sources should have been told the log was unavailable");
        Assert.True(duringOutage - atCrash <= 50, "at most the batch in flight at the crash may be acknowledged after it");
        Assert.True(acknowledged.Count > duringOutage, "ingestion should resume without a restart");

        // This test's own pooled connections date from before the crash.
        NpgsqlConnection.ClearAllPools();

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

            Assert.True(acknowledged.Keys.All(logged.Contains), "every acknowledged rating must be in the log");
        }

        var expected = await LogRecomputation.ByAreaAsync(database.ConnectionString, registry.Institutions.ToDictionary(i => i.Id, i => i.Id));
        await KillAndCompareTests.ConvergesAsync(expected, registry.Institutions.Select(i => i.Id), async id =>
            (await system.Grains.GetGrain<IInstitutionGrain>(id).GetAggregate()).Aggregate);
    }
}
