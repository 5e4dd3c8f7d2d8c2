using Evaluation.Contracts.Grains;
using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Registry;
using Evaluation.Grains.Areas;
using Microsoft.Extensions.Logging;

namespace Evaluation.Grains.Registry;

[GenerateSerializer, Alias("RegistryState")]
public sealed class RegistryState
{
    /// <summary>The institutions an operator imported; null while the shipped sample is in use.</summary>
    [Id(0)] public List<Institution>? Imported { get; set; }

    [Id(1)] public long Version { get; set; } = 1;
}

/// <summary>
/// The one authority on the registry. Silos read it through <see cref="RegistryCache"/>; an import replaces
/// the institution list as a whole (validated first) and bumps the version so every cache reloads.
/// </summary>
public sealed class RegistryGrain(
    [PersistentState("registry", GrainStorage.Checkpoints)] IPersistentState<RegistryState> state,
    ILogger<RegistryGrain> logger) : Grain, IRegistryGrain
{
    public Task<long> GetVersion() => Task.FromResult(state.State.Version);

    public async Task<RegistrySnapshot> GetSnapshot()
    {
        var registry = ShippedRegistry.With(state.State.Imported, await CurrentReferenceData());
        return new RegistrySnapshot(state.State.Version, registry.Divisions.All, registry.ServiceItems.Items, registry.Institutions);
    }

    public async Task<IReadOnlyList<FieldError>> ImportInstitutions(string registryFileJson)
    {
        // Institutions may publish the items of the service-item list in use, their city's additions included.
        var file = RegistryFile.Parse(registryFileJson, ShippedRegistry.Sample.Divisions, (await CurrentReferenceData()).ServiceItems);
        if (!file.IsValid)
        {
            return file.Errors;
        }

        state.State.Imported = [.. file.Institutions];
        state.State.Version++;
        await state.WriteStateAsync();
        logger.LogInformation("Registry replaced by an import of {Count} institutions (version {Version})", file.Institutions.Count, state.State.Version);
        return [];
    }

    private async Task<ReferenceData> CurrentReferenceData() =>
        ReferenceData.From(await GrainFactory.GetGrain<IReferenceDataGrain>(0).GetSnapshot());
}

/// <summary>The data shipped with the system, parsed once per process.</summary>
public static class ShippedRegistry
{
    private static readonly Lazy<InstitutionRegistry> SampleRegistry = new(InstitutionRegistry.LoadSample);

    public static InstitutionRegistry Sample => SampleRegistry.Value;

    /// <summary>The shipped divisions with an imported institution list (the sample when none) and the reference lists in use.</summary>
    public static InstitutionRegistry With(IEnumerable<Institution>? institutions, ReferenceData reference) =>
        new(Sample.Divisions, reference.ServiceItems, institutions ?? Sample.Institutions, reference.PilotCountyCodes);
}
