using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;

namespace Evaluation.Contracts.Grains;

/// <summary>Stateless ingestion workers: validate a batch, commit it to the log, hand it to institutions.</summary>
[Alias("IIngestGrain")]
public interface IIngestGrain : IGrainWithIntegerKey
{
    [Alias("IngestEvaluations")]
    Task<IReadOnlyList<ItemResult>> IngestEvaluations(IReadOnlyList<EvaluationInput> items);

    [Alias("IngestServiceRecords")]
    Task<IReadOnlyList<ItemResult>> IngestServiceRecords(IReadOnlyList<ServiceRecordInput> items);
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

    /// <summary>The raw state and the log position it reflects, for roll-up and for checking against the log.</summary>
    [Alias("GetAggregate")]
    Task<(AggregateData Aggregate, long Position)> GetAggregate();
}

/// <summary>A prefecture city: the sum of its institutions, and their rankings. Key: city division code.</summary>
[Alias("ICityGrain")]
public interface ICityGrain : IGrainWithStringKey
{
    [Alias("Report")]
    Task Report(string institutionId, long position, AggregateData aggregate);

    [Alias("GetView")]
    Task<CityView> GetView();

    [Alias("GetAggregate")]
    Task<AggregateData> GetAggregate();
}

/// <summary>The province: the sum of its cities, city rankings, peer priors and plan targets. Key: "440000".</summary>
[Alias("IProvinceGrain")]
public interface IProvinceGrain : IGrainWithStringKey
{
    [Alias("Report")]
    Task Report(string cityCode, long version, AggregateData aggregate, IReadOnlyDictionary<InstitutionKind, long[]> levelsByKind);

    [Alias("GetView")]
    Task<ProvinceView> GetView();

    [Alias("GetAggregate")]
    Task<AggregateData> GetAggregate();

    /// <summary>The mean level of a peer group (kind within region) over the last 30 days.</summary>
    [Alias("GetPeerPrior")]
    Task<PeerPrior> GetPeerPrior(InstitutionKind kind, Region region);

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

    /// <summary>Replaces the institution list (e.g. the sample with a real one); answers what was wrong if anything.</summary>
    [Alias("ImportInstitutions")]
    Task<IReadOnlyList<FieldError>> ImportInstitutions(IReadOnlyList<Institution> institutions);
}

[GenerateSerializer, Immutable, Alias("RegistrySnapshot")]
public sealed record RegistrySnapshot(
    [property: Id(0)] long Version,
    [property: Id(1)] IReadOnlyList<Division> Divisions,
    [property: Id(2)] IReadOnlyList<ServiceItem> ServiceItems,
    [property: Id(3)] IReadOnlyList<Institution> Institutions);

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
