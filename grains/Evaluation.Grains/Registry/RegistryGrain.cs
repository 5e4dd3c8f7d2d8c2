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

    public Task<RegistrySnapshot> GetSnapshot()
    {
        var registry = ShippedRegistry.With(state.State.Imported);
        return Task.FromResult(new RegistrySnapshot(state.State.Version, registry.Divisions.All, registry.ServiceItems.Items, registry.Institutions));
    }

    public async Task<IReadOnlyList<FieldError>> ImportInstitutions(string registryFileJson)
    {
        var shipped = ShippedRegistry.Sample;
        var file = RegistryFile.Parse(registryFileJson, shipped.Divisions, shipped.ServiceItems);
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
}

/// <summary>The data shipped with the system, parsed once per process.</summary>
public static class ShippedRegistry
{
    private static readonly Lazy<InstitutionRegistry> SampleRegistry = new(InstitutionRegistry.LoadSample);

    public static InstitutionRegistry Sample => SampleRegistry.Value;

    /// <summary>The shipped divisions and service items with an imported institution list, or the sample when none.</summary>
    public static InstitutionRegistry With(IEnumerable<Institution>? institutions) => institutions is null
        ? Sample
        : new InstitutionRegistry(Sample.Divisions, Sample.ServiceItems, institutions, Sample.PilotCountyCodes);
}
