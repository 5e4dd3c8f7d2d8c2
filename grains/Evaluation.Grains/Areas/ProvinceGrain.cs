using Evaluation.Contracts.Grains;
using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Measures;
using Evaluation.Grains.Registry;
using Microsoft.Extensions.Logging;

namespace Evaluation.Grains.Areas;

/// <summary>What the province keeps beyond its cities' sums: figures the province enters by hand.</summary>
[GenerateSerializer, Alias("ProvinceSettings")]
public sealed class ProvinceSettings
{
    [Id(0)] public int ThematicDatabaseCount { get; set; }
}

/// <summary>
/// The province: the sum of its cities, city rankings, the peer priors every smoothed score uses,
/// and the plan targets. It asks its cities for their sums when it is read, at most once per
/// <see cref="AreaTiming.CityRollupLifetime"/>, and only the cities that changed send one.
/// </summary>
public sealed class ProvinceGrain(
    [PersistentState("province", GrainStorage.Checkpoints)] IPersistentState<ProvinceSettings> settings,
    RegistryCache registry,
    AreaTiming timing,
    TimeProvider time,
    ILogger<ProvinceGrain> logger) : Grain, IProvinceGrain
{
    public const string Key = "440000";

    // A city that does not answer (its silo just died: the call fails only after the response timeout) must not hold
    // up the province's readers: after this long they get the sums the province holds, and the answers count when they come.
    private static readonly TimeSpan RefreshPatience = TimeSpan.FromSeconds(1);

    private readonly AreaTotal<string> cities = new();
    private readonly Dictionary<string, IReadOnlyDictionary<InstitutionKind, long[]>> recentLevels = [];
    private readonly Dictionary<string, CityRollupStamp> stamps = [];
    private readonly RecentValue<ProvinceView> view = new(time, timing.ViewLifetime);
    private readonly RecentValues<Region, AreaMeasures> regions = new(time, timing.ViewLifetime);
    private readonly RecentValue<AreaBreakdowns> breakdowns = new(time, timing.ViewLifetime);
    private readonly RecentValue<IReadOnlyDictionary<string, AreaMeasures>> cityMeasures = new(time, timing.ViewLifetime);
    private readonly RecentValues<Region, AreaBreakdowns> regionBreakdowns = new(time, timing.ViewLifetime);
    private PeerPriorTable? priors;
    private Task? refreshing;
    private DateTimeOffset refreshedAt = DateTimeOffset.MinValue;

    public async Task<AggregateData> GetAggregate()
    {
        await RefreshAsync();
        return Total();
    }

    public async Task<PeerPriorTable> GetPeerPriors()
    {
        await RefreshAsync();
        if (priors is null)
        {
            var divisions = (await registry.GetAsync()).Divisions;
            priors = PeerPriors.Build(recentLevels.Select(c => (divisions.Find(c.Key)?.Region, c.Value)));
        }

        return priors;
    }

    public Task<ProvinceView> GetView() => view.GetAsync(ComputeViewAsync);

    public Task<AreaMeasures> GetRegionMeasures(Region region) => regions.GetAsync(region, async () =>
    {
        var table = await GetPeerPriors();
        return AreaClock.Compute(await RegionAsync(region), table.For(region), time);
    });

    public Task<AreaBreakdowns> GetBreakdowns() => breakdowns.GetAsync(async () =>
    {
        var table = await GetPeerPriors();
        return AreaClock.Breakdowns(Total(), table.Province, time, await registry.GetAsync());
    });

    public Task<AreaBreakdowns> GetRegionBreakdowns(Region region) => regionBreakdowns.GetAsync(region, async () =>
    {
        var table = await GetPeerPriors();
        return AreaClock.Breakdowns(await RegionAsync(region), table.For(region), time, await registry.GetAsync());
    });

    // Computed as each city grain computes its own measures (its sums, smoothed toward its region), so the list
    // shows what the city pages show, give or take the sums asked for within the last lifetime.
    public Task<IReadOnlyDictionary<string, AreaMeasures>> GetCityMeasures() => cityMeasures.GetAsync(async () =>
    {
        var table = await GetPeerPriors();
        return (IReadOnlyDictionary<string, AreaMeasures>)(await registry.GetAsync()).Divisions.Cities.ToDictionary(
            city => city.Code,
            city => AreaClock.Compute(
                cities.Members.GetValueOrDefault(city.Code) ?? new AggregateData(),
                city.Region is { } region ? table.For(region) : table.Province,
                time));
    });

    /// <summary>The sum of the cities of one of the plan's regions.</summary>
    private async Task<AggregateData> RegionAsync(Region region)
    {
        var members = (await registry.GetAsync()).Divisions.Cities.Where(c => c.Region == region)
            .Select(c => cities.Members.GetValueOrDefault(c.Code)).OfType<AggregateData>();
        return Aggregation.Sum(members);
    }

    private async Task<ProvinceView> ComputeViewAsync()
    {
        var current = await registry.GetAsync();
        var table = await GetPeerPriors();
        var candidates = current.Divisions.Cities
            .Select(city => new RankingCandidate(
                city.Code,
                city.Name,
                PeerGroups.Label(city.Region),
                AreaClock.RankingScore(cities.Members.GetValueOrDefault(city.Code) ?? new AggregateData(), city.Region is { } r ? table.For(r) : table.Province, time)))
            .ToList();

        var targets = PlanTargets.Evaluate(
            current.Divisions.All,
            current.Institutions,
            current.PilotCountyCodes,
            settings.State.ThematicDatabaseCount,
            AreaClock.Today(time));

        var province = current.Divisions.Find(Key);
        return new ProvinceView(Key, province?.Name ?? "广东省", AreaClock.Compute(Total(), table.Province, time), Rankings.Rank(candidates), targets);
    }

    public async Task SetThematicDatabaseCount(int count)
    {
        settings.State.ThematicDatabaseCount = count;
        await settings.WriteStateAsync();
    }

    /// <summary>
    /// Brings the cities' sums up to date unless that was done within the lifetime; concurrent readers (some calls
    /// interleave) share one round of questions, so an older answer never overwrites a newer one.
    /// </summary>
    private async Task RefreshAsync()
    {
        // Cleared here rather than by the round itself: a round that completes before it is stored would leave
        // a finished task behind that no later read replaces.
        if (refreshing is { IsCompleted: true })
        {
            refreshing = null;
        }

        if (refreshing is null && time.GetUtcNow() - refreshedAt >= timing.CityRollupLifetime)
        {
            refreshing = RefreshCitiesAsync();
        }

        if (refreshing is { } round)
        {
            // Before any city has answered there is nothing to show instead, so the first round is awaited whole.
            await (stamps.Count == 0 ? round : Task.WhenAny(round, Task.Delay(RefreshPatience)));
        }
    }

    private async Task RefreshCitiesAsync()
    {
        var startedAt = time.GetUtcNow();
        var codes = (await registry.GetAsync()).Divisions.Cities.Select(c => c.Code).ToList();
        var answers = await Task.WhenAll(codes.Select(AskAsync));
        for (var i = 0; i < codes.Count; i++)
        {
            if (answers[i].Rollup is { } rollup)
            {
                Accept(codes[i], rollup);
            }
        }

        // A city that did not answer is asked again by the next read.
        if (answers.All(a => a.Answered))
        {
            refreshedAt = startedAt;
        }
    }

    private async Task<(bool Answered, CityRollup? Rollup)> AskAsync(string cityCode)
    {
        try
        {
            return (true, await GrainFactory.GetGrain<ICityGrain>(cityCode).GetRollupIfChanged(stamps.GetValueOrDefault(cityCode)));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "City {City} did not give the province its sum; the province keeps the last one", cityCode);
            return (false, null);
        }
    }

    private void Accept(string cityCode, CityRollup rollup)
    {
        cities.Replace(cityCode, rollup.Aggregate);
        recentLevels[cityCode] = rollup.RecentLevelsByKind;
        stamps[cityCode] = rollup.Stamp;
        priors = null;
    }

    private AggregateData Total() => cities.Value;
}
