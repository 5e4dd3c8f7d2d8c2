using Evaluation.Contracts.Ingestion;

namespace Evaluation.Contracts.Grains;

/// <summary>The reference lists an operator keeps current by import; each replaces the shipped file of the same format.</summary>
public enum ReferenceDataKind
{
    ServiceItems = 0,
    WorkingCalendar = 1,
    PilotCounties = 2,
}

/// <summary>
/// The imported reference lists (service items, working-day calendar, pilot counties), read by every silo through
/// its registry cache, the way the institution registry is. Key: 0 (one per cluster).
/// </summary>
[Alias("IReferenceDataGrain")]
public interface IReferenceDataGrain : IGrainWithIntegerKey
{
    [Alias("GetVersion")]
    Task<long> GetVersion();

    [Alias("GetSnapshot")]
    Task<ReferenceDataSnapshot> GetSnapshot();

    /// <summary>Replaces one list with the file given, validated first; answers what was wrong, if anything, and then changes nothing.</summary>
    [Alias("Import")]
    Task<IReadOnlyList<FieldError>> Import(ReferenceDataKind kind, string fileJson);
}

/// <summary>The imported files as they were accepted; null where the shipped file is still in use.</summary>
[GenerateSerializer, Immutable, Alias("ReferenceDataSnapshot")]
public sealed record ReferenceDataSnapshot(
    [property: Id(0)] long Version,
    [property: Id(1)] string? ServiceItemsJson,
    [property: Id(2)] string? WorkingCalendarJson,
    [property: Id(3)] string? PilotCountiesJson);
