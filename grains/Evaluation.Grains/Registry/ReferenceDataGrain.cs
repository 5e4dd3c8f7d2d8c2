using Evaluation.Contracts.Grains;
using Evaluation.Contracts.Ingestion;
using Evaluation.Grains.Areas;
using Microsoft.Extensions.Logging;

namespace Evaluation.Grains.Registry;

[GenerateSerializer, Alias("ReferenceDataState")]
public sealed class ReferenceDataState
{
    /// <summary>The accepted files, as sent; null while the shipped file of that kind is in use.</summary>
    [Id(0)] public string? ServiceItemsJson { get; set; }

    [Id(1)] public string? WorkingCalendarJson { get; set; }

    [Id(2)] public string? PilotCountiesJson { get; set; }

    [Id(3)] public long Version { get; set; } = 1;
}

/// <summary>
/// The one authority on the imported reference lists, kept like the registry (<see cref="RegistryGrain"/>): an import
/// replaces one list as a whole after validation and bumps the version, and each silo's <see cref="RegistryCache"/> reloads.
/// </summary>
public sealed class ReferenceDataGrain(
    [PersistentState("reference-data", GrainStorage.Checkpoints)] IPersistentState<ReferenceDataState> state,
    ILogger<ReferenceDataGrain> logger) : Grain, IReferenceDataGrain
{
    public Task<long> GetVersion() => Task.FromResult(state.State.Version);

    public Task<ReferenceDataSnapshot> GetSnapshot() => Task.FromResult(new ReferenceDataSnapshot(
        state.State.Version, state.State.ServiceItemsJson, state.State.WorkingCalendarJson, state.State.PilotCountiesJson));

    public async Task<IReadOnlyList<FieldError>> Import(ReferenceDataKind kind, string fileJson)
    {
        var errors = ReferenceData.Check(kind, fileJson);
        if (errors.Count > 0)
        {
            return errors;
        }

        switch (kind)
        {
            case ReferenceDataKind.ServiceItems:
                state.State.ServiceItemsJson = fileJson;
                break;
            case ReferenceDataKind.WorkingCalendar:
                state.State.WorkingCalendarJson = fileJson;
                break;
            default:
                state.State.PilotCountiesJson = fileJson;
                break;
        }

        state.State.Version++;
        await state.WriteStateAsync();
        logger.LogInformation("Reference data {Kind} replaced by an import (version {Version})", kind, state.State.Version);
        return [];
    }
}
