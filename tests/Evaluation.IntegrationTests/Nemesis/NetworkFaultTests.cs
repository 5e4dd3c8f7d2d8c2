using System.Collections.Concurrent;
using System.Diagnostics;
using Evaluation.Contracts.Grains;
using Evaluation.Contracts.Measures;
using Evaluation.Grains.Areas;
using Evaluation.Grains.Registry;
using Evaluation.IntegrationTests.Durability;
using Evaluation.IntegrationTests.Infrastructure;
using Evaluation.IntegrationTests.Infrastructure.Hosts;
using Npgsql;
using Xunit;

namespace Evaluation.IntegrationTests.Nemesis;

/// <summary>
/// Jepsen-style faults between hosts of their own (network namespaces on one machine) while several sources keep
/// ingesting and retrying as real ones do. After each heal the checker finds every acknowledged item in the log
/// exactly once, every aggregate equal to a recomputation over the log, every follow-up reached by legal steps only,
/// and no 5xx without Retry-After; and the time until every source was acknowledged again is measured.
/// Each fault's figures are printed and appended to ops/.state/test/netns/results.md (the README's table).
/// </summary>
public sealed class NetworkFaultTests(NamespacedSystem system) : IClassFixture<NamespacedSystem>
{
    private const int Seed = 20261130;
    private const int Sources = 3;
    private static readonly TimeSpan RecoveryPatience = TimeSpan.FromSeconds(90);

    /// <summary>Every item any source was told was stored, over all faults (they share the cluster and the log).</summary>
    private static readonly ConcurrentDictionary<string, byte> Acknowledged = new();

    public static TheoryData<string> Faults => [.. Fault.All.Append(Fault.Combined).Select(f => f.Name)];

    [Theory(Timeout = 300_000)]
    [MemberData(nameof(Faults))]
    public async Task Nothing_acknowledged_is_lost_or_double_counted_and_ingest_recovers_after(string name)
    {
        system.SkipUnlessAvailable();
        var fault = Fault.Named(name);
        var index = Fault.All.Append(Fault.Combined).ToList().IndexOf(fault);
        var runs = fault == Fault.Combined ? 2 : 1;
        var recoveries = new List<TimeSpan>();
        var figures = new EpisodeFigures();
        for (var run = 0; run < runs; run++)
        {
            var episodeSeed = Seed + (index * 10) + run;
            recoveries.Add(await RunEpisodeAsync(fault, new Random(episodeSeed), episodeSeed, figures));
            var comparison = await LogChecks.CompareAsync(system.ConnectionString, Acknowledged.Keys.ToHashSet(), "t");
            figures.Lost += comparison.Missing.Count;
            figures.DoubleCounted += comparison.Doubled.Count;
            await LogChecks.AssertLoggedOnceAsync(system.ConnectionString, Acknowledged.Keys.ToHashSet(), "t");
            await AggregatesAndStatesAgreeWithTheLogAsync();
        }

        var line = $"| {fault.Name} | {runs} | {figures.Acknowledged} | {figures.Lost} | {figures.DoubleCounted} | {figures.FiveHundredsWithoutRetryAfter} | "
            + $"{figures.FiveHundreds} | {Seconds(figures.LongestWait)} | {Seconds(Median(recoveries))} | {Seconds(recoveries.Max())} | {figures.DeclaredDead} | {figures.Restarts} |";
        await File.AppendAllTextAsync(Path.Combine(system.LogDirectory, "results.md"), line + "\n", TestContext.Current.CancellationToken);
        TestContext.Current.SendDiagnosticMessage(line);
        Console.WriteLine($"nemesis: {line} ({figures.FailedAttempts} attempts sent again)");

        Assert.True(figures.Unexpected.Count == 0, $"answers no retry fixes: {string.Join("\n", figures.Unexpected.Take(5))}");
        Assert.Equal(0, figures.FiveHundredsWithoutRetryAfter);
        Assert.True(figures.Acknowledged > 0, "no source was acknowledged anything");
    }

    /// <summary>Ingest, fault, heal, and the time from the heal until every source has been acknowledged again.</summary>
    private async Task<TimeSpan> RunEpisodeAsync(Fault fault, Random random, int seed, EpisodeFigures figures)
    {
        var institutions = ShippedRegistry.Sample.Institutions;
        var sources = Enumerable.Range(0, Sources).Select(i => new RetryingSource(seed * 10 + i, institutions, system.ApiUrls, NamespacedSystem.SourceKey)).ToList();
        using var stop = new CancellationTokenSource();
        var ingest = sources.Select(s => Task.Run(() => s.RunAsync(stop.Token), CancellationToken.None)).ToList();
        var handling = Task.Run(() => WorkFollowUpsAsync(stop.Token), CancellationToken.None);
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(3), CancellationToken.None);
            var injected = await fault.InjectAsync(system, random);
            if (injected.MustBeDeclaredDead is { } victim)
            {
                figures.DeclaredDead += await system.WaitUntilDeclaredDeadAsync(victim, Fault.PastMembershipTimeout) ? 1 : 0;
            }
            else
            {
                await Task.Delay(fault.Hold, CancellationToken.None);
            }

            var healed = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();
            await system.HealAsync();
            await injected.Undo();
            figures.Restarts += await system.RestartExitedAsync();
            var firstSuccess = new TimeSpan?[Sources];
            while (firstSuccess.Any(s => s is null))
            {
                for (var i = 0; i < Sources; i++)
                {
                    firstSuccess[i] ??= sources[i].LastSuccess > healed ? sources[i].LastSuccess - healed : null;
                }

                Assert.True(clock.Elapsed < RecoveryPatience, $"ingest had not recovered {RecoveryPatience.TotalSeconds} s after healing {fault.Name}");
                await Task.Delay(100, CancellationToken.None);
            }

            // A silo declared dead stops itself only once it learns so after the heal; its supervisor starts it again.
            await Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None);
            figures.Restarts += await system.RestartExitedAsync();
            return firstSuccess.Max()!.Value;
        }
        finally
        {
            // Each source sees the batch in hand through to its answer, so nothing is left half-told.
            await stop.CancelAsync();
            await Task.WhenAll(ingest);
            await handling;
            foreach (var source in sources)
            {
                figures.Add(source);
                foreach (var item in source.Acknowledged.Keys)
                {
                    Acknowledged.TryAdd(item, 0);
                }

                source.Dispose();
            }
        }
    }

    /// <summary>Officers and the supervisor work the 差评 as they open, through the faults, from the machine's client.</summary>
    private async Task WorkFollowUpsAsync(CancellationToken stop)
    {
        var work = new FollowUpWork(system.Grains);
        var seen = new HashSet<string>();
        for (var round = 0; !stop.IsCancellationRequested; round++)
        {
            await using (var connection = new NpgsqlConnection(system.ConnectionString))
            {
                await connection.OpenAsync(CancellationToken.None);
                await using var command = new NpgsqlCommand("SELECT id FROM follow_up WHERE state = 0 ORDER BY id LIMIT 60", connection);
                await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
                while (await reader.ReadAsync(CancellationToken.None))
                {
                    if (seen.Add(reader.GetString(0)))
                    {
                        work.Opened(reader.GetString(0));
                    }
                }
            }

            await work.WorkAsync(round);
            await Task.Delay(500, CancellationToken.None);
        }
    }

    private async Task AggregatesAndStatesAgreeWithTheLogAsync()
    {
        var institutions = ShippedRegistry.Sample.Institutions;
        await AggregatesEqualTheLogAsync("institution", institutions.ToDictionary(i => i.Id, i => i.Id),
            async id => (await system.Grains.GetGrain<IInstitutionGrain>(id).GetAggregate()).Aggregate);
        await AggregatesEqualTheLogAsync("city", institutions.ToDictionary(i => i.Id, i => i.CityCode),
            async code => (await system.Grains.GetGrain<ICityGrain>(code).GetRollup()).Aggregate);
        await AggregatesEqualTheLogAsync("province", institutions.ToDictionary(i => i.Id, _ => ProvinceGrain.Key),
            async _ => await system.Grains.GetGrain<IProvinceGrain>(ProvinceGrain.Key).GetAggregate());

        // Counties and regions are published as measures over their members; their counts must be the log's.
        var divisions = ShippedRegistry.Sample.Divisions;
        await MeasuresEqualTheLogAsync("county", institutions.Where(i => i.CountyCode is not null).ToDictionary(i => i.Id, i => $"{i.CityCode}/{i.CountyCode}"),
            area => system.Grains.GetGrain<ICityGrain>(area.Split('/')[0]).GetCountyMeasures(area.Split('/')[1]));
        await MeasuresEqualTheLogAsync("region", institutions.Where(i => divisions.RegionOf(i.CityCode) is not null).ToDictionary(i => i.Id, i => divisions.RegionOf(i.CityCode)!.Value.ToString()),
            region => system.Grains.GetGrain<IProvinceGrain>(ProvinceGrain.Key).GetRegionMeasures(Enum.Parse<Evaluation.Contracts.Registry.Region>(region)));
        await StateChecks.AssertFollowUpsMovedByLegalStepsAsync(system.ConnectionString);
    }

    private async Task AggregatesEqualTheLogAsync(string what, Dictionary<string, string> areaOfInstitution, Func<string, Task<AggregateData>> read)
    {
        var expected = await LogRecomputation.ByAreaAsync(system.ConnectionString, areaOfInstitution);
        await KillAndCompareTests.ConvergesAsync(expected, areaOfInstitution.Values.Distinct(), area => Retries.WithRetryAsync(() => read(area)), what);
    }

    private async Task MeasuresEqualTheLogAsync(string what, Dictionary<string, string> areaOfInstitution, Func<string, Task<AreaMeasures>> read)
    {
        var expected = await LogRecomputation.ByAreaAsync(system.ConnectionString, areaOfInstitution);
        var areas = areaOfInstitution.Values.Distinct().ToList();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(45);
        while (true)
        {
            var differences = new List<string>();
            foreach (var area in areas)
            {
                var actual = await Retries.WithRetryAsync(() => read(area));
                var reference = AreaClock.Compute(expected.GetValueOrDefault(area) ?? new AggregateData(), prior: null, TimeProvider.System);
                differences.AddRange(MeasureCounts.Differences(reference, actual).Select(d => $"{what} {area}: {d}"));
            }

            if (differences.Count == 0)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{differences.Count} differences from the log remain, e.g.\n{string.Join("\n", differences.Take(10))}");
            await Task.Delay(500);
        }
    }

    private static TimeSpan Median(List<TimeSpan> values) => values.Order().ElementAt((values.Count - 1) / 2);

    private static string Seconds(TimeSpan value) => $"{value.TotalSeconds:0.0} s";

    /// <summary>What the sources of one fault's runs were answered.</summary>
    private sealed class EpisodeFigures
    {
        public long Acknowledged { get; private set; }

        public long FiveHundreds { get; private set; }

        public long FiveHundredsWithoutRetryAfter { get; private set; }

        public long FailedAttempts { get; private set; }

        public TimeSpan LongestWait { get; private set; }

        /// <summary>Processes that ended (silos declared dead stop themselves) and were started again.</summary>
        public int Restarts { get; set; }

        /// <summary>Victims the other silos declared dead before the heal.</summary>
        public int DeclaredDead { get; set; }

        public long Lost { get; set; }

        public long DoubleCounted { get; set; }

        public List<string> Unexpected { get; } = [];

        public void Add(RetryingSource source)
        {
            Acknowledged += source.Acknowledged.Count;
            FiveHundreds += source.FiveHundreds;
            FiveHundredsWithoutRetryAfter += source.FiveHundredsWithoutRetryAfter;
            FailedAttempts += source.FailedAttempts;
            LongestWait = source.LongestWait > LongestWait ? source.LongestWait : LongestWait;
            Unexpected.AddRange(source.Unexpected);
        }
    }
}
