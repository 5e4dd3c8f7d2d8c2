using Evaluation.Contracts.Cases;
using Evaluation.Contracts.Grains;
using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Measures;
using Evaluation.Domain.Measures;
using Evaluation.Grains.Areas;
using Evaluation.Grains.Registry;
using Evaluation.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
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
        // Case time moves only when the test says so: a day every few rounds, so deadlines pass mid-stream.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var system = await EvaluationCluster.StartAsync(database, silos: 3, new CaseTime(clock, TimeSpan.FromSeconds(1)));
        var registry = ShippedRegistry.Sample;
        var handling = new FollowUpWork(system.Grains);
        // Each case its own ids: both cases share one database.
        var seed = killed ? 20261125 : 20261126;
        var traffic = new TrafficGenerator(registry.Institutions, seed);
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
            var results = await Retries.WithRetryAsync(() => ingest.IngestEvaluations(evaluations));
            for (var i = 0; i < results.Count; i++)
            {
                Assert.NotEqual(ItemStatus.Rejected, results[i].Status);
                acknowledged.Add($"0:{results[i].Id}");
                if (evaluations[i].Level <= 2 && results[i].Status == ItemStatus.Accepted)
                {
                    handling.Opened(results[i].Id!);
                }
            }

            // The 差评 handling steps are logged too, and go through the same kill.
            await handling.WorkAsync(round);
            if (round % 4 == 3)
            {
                clock.Advance(TimeSpan.FromDays(1));
                await Retries.WithRetryAsync(async () => await system.Grains.GetGrain<IFollowUpSupervisionGrain>(0).SweepOverdue(TimeSpan.FromDays(1)));
            }

            var records = traffic.ServiceRecords(80, now);
            var answers = await Retries.WithRetryAsync(() => ingest.IngestServiceRecords(records));
            for (var i = 0; i < records.Count; i++)
            {
                Assert.NotEqual(ItemStatus.Rejected, answers[i].Status);
                acknowledged.Add($"{(records[i].CompletedAt is null ? 1 : 2)}:{records[i].Id}");
            }
        }

        // A month later the follow-ups nobody worked on, and the rectifications still open, are noted overdue.
        clock.Advance(TimeSpan.FromDays(30));
        await Retries.WithRetryAsync(async () => await system.Grains.GetGrain<IFollowUpSupervisionGrain>(0).SweepOverdue(TimeSpan.FromDays(1)));

        await LogChecks.AssertLoggedOnceAsync(database.ConnectionString, acknowledged, $"t{seed}-");
        Assert.True(handling.StepsTaken > 100, $"only {handling.StepsTaken} follow-up steps were taken");
        await AssertFollowUpsAgreeWithTheLogAsync();

        // Every kind of handling event happened, so the comparison below covers each counter.
        var province = (await LogRecomputation.ByAreaAsync(database.ConnectionString, registry.Institutions.ToDictionary(i => i.Id, _ => "all")))["all"];
        var counts = province.Tallies.Values.Select(t => t.FollowUps ?? new FollowUpCounts()).ToList();
        Assert.All(
            new (string Name, Func<FollowUpCounts, long> Count)[]
            {
                ("called back on time", c => c.CalledBackOnTime), ("call-back missed", c => c.CallBackMissed), ("rectified", c => c.Rectified),
                ("upheld", c => c.Upheld), ("dismissed", c => c.Dismissed), ("overdue", c => c.Overdue), ("rectification missed", c => c.RectifyMissed),
            },
            counter => Assert.True(counts.Sum(counter.Count) > 0, $"no follow-up was {counter.Name}"));

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

    /// <summary>
    /// The follow-up table and the log were written in one transaction per step, so they tell the same story: every
    /// follow-up's called-back, rectified and appealed marks have exactly their step events, and every 差评 its follow-up.
    /// </summary>
    private async Task AssertFollowUpsAgreeWithTheLogAsync()
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        const string disagreements = """
            WITH steps AS (
                SELECT source_id,
                       count(*) FILTER (WHERE kind = 0 AND level <= 2) AS rated_bad,
                       count(*) FILTER (WHERE kind = 4) AS called_back,
                       count(*) FILTER (WHERE kind = 5) AS rectified,
                       count(*) FILTER (WHERE kind = 3) AS excluded
                FROM event_log GROUP BY source_id)
            SELECT count(*) FROM steps s FULL JOIN follow_up f ON f.id = s.source_id
            WHERE s.rated_bad = 1 AND f.id IS NULL
               OR f.id IS NOT NULL AND (s.source_id IS NULL
                   OR s.called_back <> (f.document->>'CalledBackAt' IS NOT NULL)::int
                   OR s.rectified <> (f.document->>'RectifiedAt' IS NOT NULL)::int
                   OR s.excluded <> (f.state = 4)::int)
            """;
        await using var command = new NpgsqlCommand(disagreements, connection);
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
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
