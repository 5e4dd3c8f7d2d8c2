using Evaluation.Contracts.Detection;
using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;
using Orleans.Concurrency;

namespace Evaluation.Contracts.Grains;

/// <summary>Stateless ingestion workers: validate a batch, commit it to the log, hand it to institutions.</summary>
[Alias("IIngestGrain")]
public interface IIngestGrain : IGrainWithIntegerKey
{
    [Alias("IngestEvaluationsFrom")]
    Task<IReadOnlyList<ItemResult>> IngestEvaluations(SourceIdentity source, IReadOnlyList<EvaluationInput> items);

    [Alias("IngestServiceRecordsFrom")]
    Task<IReadOnlyList<ItemResult>> IngestServiceRecords(SourceIdentity source, IReadOnlyList<ServiceRecordInput> items);
}

/// <summary>One institution: applies its logged events in order and rolls them up to its city. Key: institution id.</summary>
[Alias("IInstitutionGrain")]
public interface IInstitutionGrain : IGrainWithStringKey
{
    /// <summary>Hands over committed events; ones already applied are ignored, a gap is filled from the log.</summary>
    [Alias("Apply")]
    Task Apply(IReadOnlyList<LoggedEvent> events);

    [Alias("GetMeasures")]
    Task<AreaMeasures> GetMeasures();

    /// <summary>The measures per channel, IP domain and service item over every window.</summary>
    [Alias("GetBreakdowns")]
    Task<AreaBreakdowns> GetBreakdowns();

    /// <summary>
    /// The raw state and the log position it reflects, for roll-up and for checking against the log.
    /// Interleaves so a city rebuilding itself never waits on an institution that is reporting to it.
    /// </summary>
    [Alias("GetAggregate"), AlwaysInterleave]
    Task<PositionedAggregate> GetAggregate();

    /// <summary>
    /// The aggregate as of <paramref name="position"/> or later: an institution behind the log first reads what it
    /// lacks from it. Detection's consistent cut for an institution its city has not yet heard from.
    /// </summary>
    [Alias("GetAggregateAt")]
    Task<PositionedAggregate> GetAggregateAt(long position);

    /// <summary>
    /// What detection reads of the institution on <paramref name="today"/>, as of <paramref name="position"/> or later
    /// (like <see cref="GetAggregateAt"/>): kilobytes instead of the whole aggregate.
    /// </summary>
    [Alias("GetFeatureInputsAt")]
    Task<FeatureInputs> GetFeatureInputsAt(long position, DateOnly today);
}

/// <summary>A prefecture city: the sum of its institutions, and their rankings. Key: city division code.</summary>
[Alias("ICityGrain")]
public interface ICityGrain : IGrainWithStringKey
{
    /// <summary>
    /// An institution's whole aggregate as of <paramref name="position"/>; an older one than the city holds is ignored.
    /// Immutable: the institution hands out a copy whose tallies it never changes again, and the city changes none
    /// of them either, so a call on the same silo passes the tallies without copying them.
    /// </summary>
    [Alias("Report")]
    Task Report(string institutionId, long position, [Immutable] AggregateData aggregate);

    /// <summary>
    /// What changed in an institution's aggregate since the report the city holds for it. False when the city
    /// does not hold the report at <see cref="AggregateDelta.FromPosition"/> (it re-activated, or a report was
    /// lost): the institution then reports its whole aggregate.
    /// </summary>
    [Alias("ReportDelta")]
    Task<bool> ReportDelta(string institutionId, AggregateDelta delta);

    [Alias("GetView")]
    Task<CityView> GetView();

    [Alias("GetMeasures")]
    Task<AreaMeasures> GetMeasures();

    /// <summary>The measures of one county of the city: the sum of the institutions registered in it.</summary>
    [Alias("GetCountyMeasures")]
    Task<AreaMeasures> GetCountyMeasures(string countyCode);

    /// <summary>The city's measures per channel, IP domain and service item, and its worst service items.</summary>
    [Alias("GetBreakdowns")]
    Task<AreaBreakdowns> GetBreakdowns();

    /// <summary>The same breakdowns for one county of the city.</summary>
    [Alias("GetCountyBreakdowns")]
    Task<AreaBreakdowns> GetCountyBreakdowns(string countyCode);

    /// <summary>The latest aggregate of each institution of the city and the log position it reflects, by institution id, for detection.</summary>
    [Alias("GetInstitutionReports"), AlwaysInterleave]
    Task<IReadOnlyDictionary<string, PositionedAggregate>> GetInstitutionReports();

    /// <summary>
    /// What detection reads of each institution the city holds a report of, computed from that report for
    /// <paramref name="today"/>; each carries the report's position, so detection can tell which lag the log.
    /// </summary>
    [Alias("GetFeatureInputs")]
    Task<IReadOnlyDictionary<string, FeatureInputs>> GetFeatureInputs(DateOnly today);

    /// <summary>The comment topics of the city's 差评 and of each institution's, over 7 and 30 days (staff only).</summary>
    [Alias("GetTopics")]
    Task<CityTopics> GetTopics();

    /// <summary>The city's sum for the province; interleaves for the same reason as the institution's.</summary>
    [Alias("GetRollup"), AlwaysInterleave]
    Task<CityRollup> GetRollup();

    /// <summary>
    /// The city's sum, or null when it is still the one the province holds (<paramref name="known"/>, from this
    /// activation of the city): the province asks when it is read, so an unread province costs the cities nothing.
    /// </summary>
    [Alias("GetRollupIfChanged"), AlwaysInterleave]
    Task<CityRollup?> GetRollupIfChanged(CityRollupStamp? known);
}

/// <summary>The province: the sum of its cities, city rankings, peer priors and plan targets. Key: "440000".</summary>
[Alias("IProvinceGrain")]
public interface IProvinceGrain : IGrainWithStringKey
{
    [Alias("GetView")]
    Task<ProvinceView> GetView();

    [Alias("GetAggregate"), AlwaysInterleave]
    Task<AggregateData> GetAggregate();

    /// <summary>The measures of one of the plan's regions: the sum of its cities.</summary>
    [Alias("GetRegionMeasures")]
    Task<AreaMeasures> GetRegionMeasures(Region region);

    /// <summary>The province's measures per channel, IP domain and service item, and its worst service items.</summary>
    [Alias("GetBreakdowns")]
    Task<AreaBreakdowns> GetBreakdowns();

    /// <summary>
    /// Every prefecture city's measures, from the sums the cities report here: the public city list in one call,
    /// and consistent with the province's own figures and rankings.
    /// </summary>
    [Alias("GetCityMeasures")]
    Task<IReadOnlyDictionary<string, AreaMeasures>> GetCityMeasures();

    /// <summary>The same breakdowns for one of the plan's regions.</summary>
    [Alias("GetRegionBreakdowns")]
    Task<AreaBreakdowns> GetRegionBreakdowns(Region region);

    /// <summary>The mean levels of the peer groups (kind within region, and whole regions) over the last 30 days.</summary>
    [Alias("GetPeerPriors"), AlwaysInterleave]
    Task<PeerPriorTable> GetPeerPriors();

    [Alias("SetThematicDatabaseCount")]
    Task SetThematicDatabaseCount(int count);
}

/// <summary>The registry of divisions, service items and institutions. Key: 0 (one per cluster).</summary>
[Alias("IRegistryGrain")]
public interface IRegistryGrain : IGrainWithIntegerKey
{
    [Alias("GetSnapshot")]
    Task<RegistrySnapshot> GetSnapshot();

    [Alias("GetVersion")]
    Task<long> GetVersion();

    /// <summary>
    /// Replaces the institution list (e.g. the sample with a real one) with the institutions of a registry
    /// file (the format of the shipped sample); answers what was wrong, if anything, and then changes nothing.
    /// </summary>
    [Alias("ImportInstitutions")]
    Task<IReadOnlyList<FieldError>> ImportInstitutions(string registryFileJson);
}

/// <summary>Read-only questions about the registry, answered on every silo from its cached copy. Key: 0.</summary>
[Alias("IDirectoryGrain")]
public interface IDirectoryGrain : IGrainWithIntegerKey
{
    [Alias("Search")]
    Task<InstitutionPage> Search(InstitutionQuery query);

    [Alias("Find")]
    Task<Institution?> Find(string institutionId);

    [Alias("GetServiceItems")]
    Task<IReadOnlyList<ServiceItem>> GetServiceItems();

    [Alias("GetDivisions")]
    Task<IReadOnlyList<Division>> GetDivisions();
}

[GenerateSerializer, Immutable, Alias("InstitutionQuery")]
public sealed record InstitutionQuery(
    [property: Id(0)] string? City = null,
    [property: Id(1)] string? County = null,
    [property: Id(2)] InstitutionKind? Kind = null,
    [property: Id(3)] string? Service = null,
    [property: Id(4)] string? Text = null,
    [property: Id(5)] int Page = 1,
    [property: Id(6)] int PageSize = InstitutionQuery.DefaultPageSize)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;
}

[GenerateSerializer, Immutable, Alias("InstitutionPage")]
public sealed record InstitutionPage(
    [property: Id(0)] IReadOnlyList<Institution> Items,
    [property: Id(1)] int Total,
    [property: Id(2)] int Page,
    [property: Id(3)] int PageSize);

[GenerateSerializer, Immutable, Alias("RegistrySnapshot")]
public sealed record RegistrySnapshot(
    [property: Id(0)] long Version,
    [property: Id(1)] IReadOnlyList<Division> Divisions,
    [property: Id(2)] IReadOnlyList<ServiceItem> ServiceItems,
    [property: Id(3)] IReadOnlyList<Institution> Institutions);

/// <summary>
/// An aggregate and the log position it reflects. Immutable: whoever answers with one hands out tallies it never
/// changes again (see TallySharing), in dictionaries of their own, so a call on the same silo passes it without a copy;
/// its receiver must not change it either.
/// </summary>
[GenerateSerializer, Immutable, Alias("PositionedAggregate")]
public sealed record PositionedAggregate(
    [property: Id(0)] AggregateData Aggregate,
    [property: Id(1)] long Position);

/// <summary>
/// What a city hands the province. <see cref="Version"/> only grows while the city grain lives; a rebuilt city
/// starts again from its institutions with a new <see cref="Activation"/>, so the province replaces the city's
/// entry whatever the version.
/// </summary>
[GenerateSerializer, Alias("CityRollup")]
public sealed record CityRollup(
    [property: Id(0)] long Version,
    [property: Id(1)] AggregateData Aggregate,
    [property: Id(2)] IReadOnlyDictionary<InstitutionKind, long[]> RecentLevelsByKind)
{
    [Id(3)] public Guid Activation { get; init; }

    public CityRollupStamp Stamp => new(Activation, Version);
}

/// <summary>Which sum of a city the province holds: the city's activation and its version there.</summary>
[GenerateSerializer, Immutable, Alias("CityRollupStamp")]
public sealed record CityRollupStamp(
    [property: Id(0)] Guid Activation,
    [property: Id(1)] long Version);

[GenerateSerializer, Immutable, Alias("CityView")]
public sealed record CityView(
    [property: Id(0)] string Code,
    [property: Id(1)] string Name,
    [property: Id(2)] Region? Region,
    [property: Id(3)] int InstitutionCount,
    [property: Id(4)] AreaMeasures Measures,
    [property: Id(5)] IReadOnlyList<RankingEntry> InstitutionRankings);

[GenerateSerializer, Immutable, Alias("ProvinceView")]
public sealed record ProvinceView(
    [property: Id(0)] string Code,
    [property: Id(1)] string Name,
    [property: Id(2)] AreaMeasures Measures,
    [property: Id(3)] IReadOnlyList<RankingEntry> CityRankings,
    [property: Id(4)] IReadOnlyList<PlanTargetView> PlanTargets);
