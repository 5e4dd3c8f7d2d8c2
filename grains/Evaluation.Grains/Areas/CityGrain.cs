using Evaluation.Contracts.Detection;
using Evaluation.Contracts.Grains;
using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Measures;
using Evaluation.Grains.Detection;
using Evaluation.Grains.Registry;

namespace Evaluation.Grains.Areas;

/// <summary>
/// A city holds the latest aggregate each of its institutions reported, keyed by log position, so a
/// repeated or late report can never count twice, and their running sum. Institutions mostly report what
/// changed since their previous report; a change the city cannot follow on from is refused, and the
/// institution sends its whole aggregate. It keeps no state of its own: on activation it asks its
/// institutions, which are the durable source. The province asks for the city's sum when it is read
/// (<see cref="GetRollupIfChanged"/>) instead of being sent it on a timer: copying and summing every city's whole
/// aggregate several times a second was a sixth of a silo's CPU under ingest, for a province nobody was reading.
/// </summary>
public sealed class CityGrain(RegistryCache registry, AreaTiming timing, TimeProvider time)
    : Grain, ICityGrain
{
    private readonly ReportedTotal<string> institutions = new();
    private readonly RecentValue<AreaMeasures> measures = new(time, timing.ViewLifetime);
    private readonly RecentValue<CityView> view = new(time, timing.ViewLifetime);
    private readonly RecentValues<string, AreaMeasures> counties = new(time, timing.ViewLifetime);
    private readonly RecentValue<AreaBreakdowns> breakdowns = new(time, timing.ViewLifetime);
    private readonly RecentValues<string, AreaBreakdowns> countyBreakdowns = new(time, timing.ViewLifetime);
    private readonly RecentValue<CityTopics> topics = new(time, timing.ViewLifetime);
    private readonly FeatureInputsCache featureInputs = new();
    private readonly Guid activation = Guid.NewGuid();
    private long version;

    private string Code => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var institutions = (await registry.GetAsync()).InstitutionsOf(Code);
        var reports = await Task.WhenAll(institutions.Select(i => GrainFactory.GetGrain<IInstitutionGrain>(i.Id).GetAggregate()));
        for (var i = 0; i < institutions.Count; i++)
        {
            Accept(institutions[i].Id, reports[i]);
        }
    }

    public Task Report(string institutionId, long position, AggregateData aggregate)
    {
        Accept(institutionId, new PositionedAggregate(aggregate, position));
        return Task.CompletedTask;
    }

    public Task<bool> ReportDelta(string institutionId, AggregateDelta delta)
    {
        if (!institutions.Accept(institutionId, delta))
        {
            return Task.FromResult(false);
        }

        Changed();
        return Task.FromResult(true);
    }

    public Task<CityRollup> GetRollup() => Task.FromResult(Rollup());

    public Task<CityRollup?> GetRollupIfChanged(CityRollupStamp? known) =>
        Task.FromResult(known == new CityRollupStamp(activation, version) ? null : Rollup());

    public Task<IReadOnlyDictionary<string, PositionedAggregate>> GetInstitutionReports() =>
        Task.FromResult<IReadOnlyDictionary<string, PositionedAggregate>>(
            institutions.Total.Members.ToDictionary(m => m.Key, m => new PositionedAggregate(Aggregation.ShallowCopy(m.Value), institutions.PositionOf(m.Key))));

    public Task<IReadOnlyDictionary<string, FeatureInputs>> GetFeatureInputs(DateOnly today) =>
        Task.FromResult<IReadOnlyDictionary<string, FeatureInputs>>(institutions.Total.Members.ToDictionary(
            m => m.Key, m => featureInputs.Get(m.Key, m.Value, institutions.PositionOf(m.Key), today)));

    public Task<AreaMeasures> GetMeasures() => measures.GetAsync(ComputeMeasuresAsync);

    public Task<CityView> GetView() => view.GetAsync(ComputeViewAsync);

    public Task<CityTopics> GetTopics() => topics.GetAsync(() =>
    {
        var today = AreaClock.Today(time);
        return Task.FromResult(new CityTopics(
            TopicMeasures.Summarize(Total(), today),
            institutions.Total.Members.ToDictionary(m => m.Key, m => TopicMeasures.Summarize(m.Value, today))));
    });

    public Task<AreaMeasures> GetCountyMeasures(string countyCode) => counties.GetAsync(countyCode, async () =>
        await MeasuresOfAsync(await CountyAsync(countyCode)));

    public Task<AreaBreakdowns> GetBreakdowns() => breakdowns.GetAsync(() => BreakdownsOfAsync(Total()));

    public Task<AreaBreakdowns> GetCountyBreakdowns(string countyCode) => countyBreakdowns.GetAsync(countyCode, async () =>
        await BreakdownsOfAsync(await CountyAsync(countyCode)));

    /// <summary>The sum of the institutions registered in one county of the city.</summary>
    private async Task<AggregateData> CountyAsync(string countyCode)
    {
        var members = (await registry.GetAsync()).InstitutionsOf(Code).Where(i => i.CountyCode == countyCode)
            .Select(i => institutions.Total.Members.GetValueOrDefault(i.Id)).OfType<AggregateData>();
        return Aggregation.Sum(members);
    }

    private Task<AreaMeasures> ComputeMeasuresAsync() => MeasuresOfAsync(Total());

    /// <summary>The measures of a part of the city (or all of it), smoothed toward the city's region.</summary>
    private async Task<AreaMeasures> MeasuresOfAsync(AggregateData data) => AreaClock.Compute(data, await PriorAsync(), time);

    /// <summary>The breakdowns of a part of the city (or all of it), smoothed toward the city's region as its measures are.</summary>
    private async Task<AreaBreakdowns> BreakdownsOfAsync(AggregateData data) =>
        AreaClock.Breakdowns(data, await PriorAsync(), time, await registry.GetAsync());

    private async Task<PeerPrior> PriorAsync()
    {
        var region = (await registry.GetAsync()).Divisions.RegionOf(Code);
        var priors = await GrainFactory.GetGrain<IProvinceGrain>(ProvinceGrain.Key).GetPeerPriors();
        return region is { } r ? priors.For(r) : priors.Province;
    }

    private async Task<CityView> ComputeViewAsync()
    {
        var current = await registry.GetAsync();
        var division = current.Divisions.Find(Code);
        var region = division?.Region;
        var priors = await GrainFactory.GetGrain<IProvinceGrain>(ProvinceGrain.Key).GetPeerPriors();
        var candidates = new List<RankingCandidate>();
        foreach (var institution in current.InstitutionsOf(Code))
        {
            var prior = region is null ? priors.Province : priors.For(institution.Kind, region.Value);
            var data = institutions.Total.Members.GetValueOrDefault(institution.Id) ?? new AggregateData();
            candidates.Add(new RankingCandidate(institution.Id, institution.Name, PeerGroups.Label(institution.Kind), AreaClock.RankingScore(data, prior, time)));
        }

        return new CityView(
            Code,
            division?.Name ?? Code,
            region,
            candidates.Count,
            AreaClock.Compute(Total(), region is null ? priors.Province : priors.For(region.Value), time),
            Rankings.Rank(candidates));
    }

    private void Accept(string institutionId, PositionedAggregate report)
    {
        if (institutions.Accept(institutionId, report.Position, report.Aggregate))
        {
            Changed();
        }
    }

    private void Changed() => version++;

    private AggregateData Total() => institutions.Total.Value;

    private CityRollup Rollup()
    {
        var recentByKind = new Dictionary<InstitutionKind, long[]>();
        foreach (var institution in registry.Current?.InstitutionsOf(Code) ?? [])
        {
            if (institutions.Total.Members.TryGetValue(institution.Id, out var aggregate))
            {
                var recent = AreaClock.RecentLevels(aggregate, time);
                recentByKind[institution.Kind] = recentByKind.TryGetValue(institution.Kind, out var sum)
                    ? [.. sum.Zip(recent, (a, b) => a + b)]
                    : recent;
            }
        }

        return new CityRollup(version, Total(), recentByKind) { Activation = activation };
    }
}
