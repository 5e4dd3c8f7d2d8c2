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

        // A second source rates the services of the round before by their records (一事一评), under the same ids as
        // the default source's ratings (ids are unique per source); its ratings are excluded by source late on.
        var kiosk = new SourceIdentity("kiosk", SourceScope.Any);
        IReadOnlyList<ServiceRecordInput> previousRecords = [];
        var mayBeLogged = new HashSet<string>();

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
            var results = await WithRetryAsync(() => ingest.IngestEvaluations(TestSources.Default, evaluations));
            for (var i = 0; i < results.Count; i++)
            {
                Assert.NotEqual(ItemStatus.Rejected, results[i].Status);
                acknowledged.Add($"0:{SourceNames.Default}:{results[i].Id}");
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
                await WithRetryAsync(async () => await system.Grains.GetGrain<IFollowUpSupervisionGrain>(0).SweepOverdue(TimeSpan.FromDays(1)));
            }

            var named = previousRecords.Select((r, i) => evaluations[i % evaluations.Count] with
            {
                InstitutionId = r.InstitutionId,
                ServiceItem = r.ServiceItem,
                Channel = r.Channel,
                ServiceRecordId = r.Id,
            }).ToList();
            var kioskResults = await WithRetryAsync(() => ingest.IngestEvaluations(kiosk, named));
            foreach (var result in kioskResults)
            {
                // A duplicate here is a second rating of one record (一事一评), never logged, or a retry's answer for an
                // item the failed attempt logged.
                Assert.NotEqual(ItemStatus.Rejected, result.Status);
                (result.Status == ItemStatus.Accepted ? acknowledged : mayBeLogged).Add($"0:{kiosk.Name}:{result.Id}");
            }

            if (round == 20)
            {
                var sourceLog = system.Grains.GetGrain<ISourceLogGrain>(0);
                var (from, to) = (DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMinutes(1));
                var first = await WithRetryAsync(() => sourceLog.ExcludeRatings(kiosk.Name, from, to));
                var again = await WithRetryAsync(() => sourceLog.ExcludeRatings(kiosk.Name, from, to));
                Assert.True(first.Excluded > 0, "nothing of the kiosk was excluded");
                Assert.Equal(0, again.Excluded);
                Assert.Equal(first.Excluded + first.AlreadyExcluded, again.AlreadyExcluded);
            }

            var records = traffic.ServiceRecords(80, now);
            var answers = await WithRetryAsync(() => ingest.IngestServiceRecords(TestSources.Default, records));
            for (var i = 0; i < records.Count; i++)
            {
                Assert.NotEqual(ItemStatus.Rejected, answers[i].Status);
                acknowledged.Add($"{(records[i].CompletedAt is null ? 1 : 2)}:{SourceNames.Default}:{records[i].Id}");
            }

            previousRecords = records;
        }

        // A month later the follow-ups nobody worked on, and the rectifications still open, are noted overdue.
        clock.Advance(TimeSpan.FromDays(30));
        await WithRetryAsync(async () => await system.Grains.GetGrain<IFollowUpSupervisionGrain>(0).SweepOverdue(TimeSpan.FromDays(1)));

        await AssertEveryAcknowledgedItemLoggedOnceAsync(acknowledged, mayBeLogged, $"t{seed}-");
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
        Assert.True(province.Tallies.Values.Sum(t => t.Verified) > 0, "no verified rating counts");
        Assert.True(province.Tallies.Values.Sum(t => t.RatedServices) > 0, "no completed service was rated");

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

    /// <summary>A source whose call failed sends the same batch again; the log's keys make that safe.</summary>
    private static async Task<T> WithRetryAsync<T>(Func<Task<T>> send)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await send();
            }
            catch (Exception ex) when (attempt < 10 && ex is not AuditRefusedException)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }
    }

    private async Task AssertEveryAcknowledgedItemLoggedOnceAsync(HashSet<string> acknowledged, HashSet<string> mayBeLogged, string idPrefix)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT kind, source, source_id, count(*) FROM event_log WHERE kind IN (0, 1, 2) AND starts_with(source_id, $1) GROUP BY kind, source, source_id", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = idPrefix });
        await using var reader = await command.ExecuteReaderAsync();
        var logged = new HashSet<string>();
        while (await reader.ReadAsync())
        {
            Assert.Equal(1, reader.GetInt64(3));
            logged.Add($"{reader.GetInt16(0)}:{reader.GetString(1)}:{reader.GetString(2)}");
        }

        // A re-sent open of an already completed record is acknowledged as a duplicate and never logged as open.
        var missing = acknowledged.Where(a => !logged.Contains(a) && !(a.StartsWith("1:", StringComparison.Ordinal) && logged.Contains("2:" + a[2..]))).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} acknowledged items are not in the log, e.g. {string.Join(", ", missing.Take(5))}");
        Assert.True(logged.IsSubsetOf(acknowledged.Union(mayBeLogged)), "the log holds items that were never acknowledged");
    }

    private async Task AssertConvergesAsync(string what, Dictionary<string, string> areaOfInstitution, Func<string, Task<AggregateData>> read)
    {
        var expected = await LogRecomputation.ByAreaAsync(database.ConnectionString, areaOfInstitution);
        await ConvergesAsync(expected, areaOfInstitution.Values.Distinct(), read, what);
    }

    /// <summary>
    /// Officers and the supervisor working the 差评 as they arrive, in a fixed rotation: call back, plan and rectify,
    /// give feedback, appeal, and decide appeals both ways. A step refused because the follow-up moved meanwhile is
    /// simply not taken; one whose call failed with a silo is tried again (the log's keys make that safe).
    /// </summary>
    private sealed class FollowUpWork(IGrainFactory grains)
    {
        private static readonly Actor Officer = new("off-kill", "city-officer");
        private static readonly Actor Supervisor = new("sup-kill", "province-supervisor");
        private readonly List<string> open = [];
        private int next;

        public int StepsTaken { get; private set; }

        public void Opened(string id) => open.Add(id);

        public async Task WorkAsync(int round)
        {
            foreach (var id in open.Skip(round % 3).Where((_, i) => i % 3 == 0).Take(25).ToList())
            {
                var plan = (next++ % 6) switch
                {
                    0 => new[] { (FollowUpStep.CallBack, Officer) },
                    1 => [(FollowUpStep.CallBack, Officer), (FollowUpStep.Plan, Officer), (FollowUpStep.Rectify, Officer)],
                    2 => [(FollowUpStep.CallBack, Officer), (FollowUpStep.Rectify, Officer), (FollowUpStep.Feedback, Officer)],
                    3 => [(FollowUpStep.Appeal, Officer)],
                    4 => [(FollowUpStep.Appeal, Officer), (FollowUpStep.Uphold, Supervisor)],
                    _ => [(FollowUpStep.CallBack, Officer), (FollowUpStep.Appeal, Officer), (FollowUpStep.Dismiss, Supervisor)],
                };
                foreach (var (step, actor) in plan)
                {
                    try
                    {
                        await WithRetryAsync(() => grains.GetGrain<IFollowUpGrain>(id).Act(new FollowUpCommand(step, actor, $"kill test {step}")));
                        StepsTaken++;
                    }
                    catch (AuditRefusedException)
                    {
                        break;
                    }
                }

                open.Remove(id);
            }
        }
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
