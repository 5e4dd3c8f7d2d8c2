using System.Text.Json;
using System.Text.Json.Nodes;
using Evaluation.Contracts.Cases;
using Evaluation.Contracts.Grains;
using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Calendar;
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
            var results = await Retries.WithRetryAsync(() => ingest.IngestEvaluations(TestSources.Default, evaluations));
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
                await Retries.WithRetryAsync(async () => await system.Grains.GetGrain<IFollowUpSupervisionGrain>(0).SweepOverdue(TimeSpan.FromDays(1)));
            }

            var named = previousRecords.Select((r, i) => evaluations[i % evaluations.Count] with
            {
                InstitutionId = r.InstitutionId,
                ServiceItem = r.ServiceItem,
                Channel = r.Channel,
                ServiceRecordId = r.Id,
            }).ToList();
            var kioskResults = await Retries.WithRetryAsync(() => ingest.IngestEvaluations(kiosk, named));
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
                var first = await Retries.WithRetryAsync(() => sourceLog.ExcludeRatings(kiosk.Name, from, to));
                var again = await Retries.WithRetryAsync(() => sourceLog.ExcludeRatings(kiosk.Name, from, to));
                Assert.True(first.Excluded > 0, "nothing of the kiosk was excluded");
                Assert.Equal(0, again.Excluded);
                Assert.Equal(first.Excluded + first.AlreadyExcluded, again.AlreadyExcluded);
            }

            var records = traffic.ServiceRecords(80, now);
            var answers = await Retries.WithRetryAsync(() => ingest.IngestServiceRecords(TestSources.Default, records));
            for (var i = 0; i < records.Count; i++)
            {
                Assert.NotEqual(ItemStatus.Rejected, answers[i].Status);
                acknowledged.Add($"{(records[i].CompletedAt is null ? 1 : 2)}:{SourceNames.Default}:{records[i].Id}");
            }

            previousRecords = records;
        }

        // A month later the follow-ups nobody worked on, and the rectifications still open, are noted overdue.
        clock.Advance(TimeSpan.FromDays(30));
        await Retries.WithRetryAsync(async () => await system.Grains.GetGrain<IFollowUpSupervisionGrain>(0).SweepOverdue(TimeSpan.FromDays(1)));

        await LogChecks.AssertLoggedOnceAsync(database.ConnectionString, acknowledged, $"t{seed}-", mayBeLogged);
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

        // The figures published per county, region, channel and service item: what the one calculator makes of
        // the SQL recomputation, with the prior the area is smoothed toward (the cluster has settled, so it holds still).
        Assert.True(province.ServiceItems.Count > 0 && province.Tallies.Keys.Select(k => k.Channel).Distinct().Count() > 1, "the traffic names items and channels");
        var priors = await system.Grains.GetGrain<IProvinceGrain>(ProvinceGrain.Key).GetPeerPriors();
        var divisions = registry.Divisions;
        PeerPrior PriorOfCity(string city) => divisions.RegionOf(city) is { } r ? priors.For(r) : priors.Province;
        var counties = institutions.Where(i => i.CountyCode is not null).ToDictionary(i => i.Id, i => i.CountyCode!);
        var cityOfCounty = institutions.Where(i => i.CountyCode is not null).DistinctBy(i => i.CountyCode).ToDictionary(i => i.CountyCode!, i => i.CityCode);
        Assert.True(cityOfCounty.Count > 1, "the sample registry has institutions in several counties");
        await AssertFiguresConvergeAsync("county", counties, county => PriorOfCity(cityOfCounty[county]), county =>
        {
            var city = system.Grains.GetGrain<ICityGrain>(cityOfCounty[county]);
            return (city.GetCountyMeasures(county), city.GetCountyBreakdowns(county));
        });
        var regionOfInstitution = institutions.ToDictionary(i => i.Id, i => divisions.RegionOf(i.CityCode)!.Value.ToString());
        await AssertFiguresConvergeAsync("region", regionOfInstitution, region => priors.For(Enum.Parse<Region>(region)), region =>
        {
            var grain = system.Grains.GetGrain<IProvinceGrain>(ProvinceGrain.Key);
            return (grain.GetRegionMeasures(Enum.Parse<Region>(region)), grain.GetRegionBreakdowns(Enum.Parse<Region>(region)));
        });
        await AssertFiguresConvergeAsync("city", institutions.ToDictionary(i => i.Id, i => i.CityCode), PriorOfCity, city =>
            (system.Grains.GetGrain<ICityGrain>(city).GetMeasures(), system.Grains.GetGrain<ICityGrain>(city).GetBreakdowns()));
        await AssertFiguresConvergeAsync("province", institutions.ToDictionary(i => i.Id, _ => ProvinceGrain.Key), _ => priors.Province, _ =>
        {
            var grain = system.Grains.GetGrain<IProvinceGrain>(ProvinceGrain.Key);
            return (grain.GetView().ContinueWith(v => v.Result.Measures, TaskScheduler.Default), grain.GetBreakdowns());
        });
    }

    /// <summary>
    /// Waits until each area's published measures and breakdowns (per channel, IP domain and service item, every
    /// window, the worst items) equal what <see cref="MeasureCalculator"/> makes of the SQL recomputation of the
    /// area, as of the same moment and with the same prior; compared as JSON, field by field.
    /// </summary>
    private async Task AssertFiguresConvergeAsync(
        string what,
        Dictionary<string, string> areaOfInstitution,
        Func<string, PeerPrior> priorOf,
        Func<string, (Task<AreaMeasures> Measures, Task<AreaBreakdowns> Breakdowns)> read)
    {
        var recomputed = await LogRecomputation.ByAreaAsync(database.ConnectionString, areaOfInstitution);
        var deadline = DateTime.UtcNow + Convergence;
        while (true)
        {
            var differences = new List<string>();
            foreach (var area in areaOfInstitution.Values.Distinct())
            {
                var (measuresTask, breakdownsTask) = read(area);
                var (measures, breakdowns) = (await measuresTask, await breakdownsTask);
                var data = recomputed.GetValueOrDefault(area) ?? new AggregateData();
                var expectedMeasures = MeasureCalculator.Compute(data, measures.AsOf, TodayAt(measures.AsOf), priorOf(area), MeasureSettings.Default);
                var expectedBreakdowns = MeasureCalculator.Breakdowns(
                    data, breakdowns.AsOf, TodayAt(breakdowns.AsOf), priorOf(area), MeasureSettings.Default, code => ShippedRegistry.Sample.FindItem(code)?.Name);
                differences.AddRange(JsonDifferences($"{what} {area} measures", expectedMeasures, measures));
                differences.AddRange(JsonDifferences($"{what} {area} breakdowns", expectedBreakdowns, breakdowns));
            }

            if (differences.Count == 0)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{differences.Count} figures differ from the log's, e.g.\n{string.Join("\n", differences.Take(10))}");
            await Task.Delay(500);
        }
    }

    private static DateOnly TodayAt(DateTimeOffset asOf) => WorkingCalendar.ToLocalDate(asOf).ToDateOnly();

    /// <summary>The paths whose values differ between two objects' JSON (a missing value differs from any present one).</summary>
    private static IEnumerable<string> JsonDifferences<T>(string where, T expected, T actual)
    {
        var e = new Dictionary<string, string>();
        var a = new Dictionary<string, string>();
        Flatten(JsonSerializer.SerializeToNode(expected), "", e);
        Flatten(JsonSerializer.SerializeToNode(actual), "", a);
        return e.Keys.Union(a.Keys).Where(k => e.GetValueOrDefault(k) != a.GetValueOrDefault(k))
            .Order(StringComparer.Ordinal)
            .Select(k => $"{where} {k}: expected {e.GetValueOrDefault(k) ?? "(none)"}, actual {a.GetValueOrDefault(k) ?? "(none)"}");
    }

    private static void Flatten(JsonNode? node, string path, Dictionary<string, string> values)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, child) in o)
                {
                    Flatten(child, $"{path}.{key}", values);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Flatten(array[i], $"{path}[{i}]", values);
                }

                break;
            default:
                values[path] = node?.ToJsonString() ?? "null";
                break;
        }
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
