using Evaluation.Contracts.Grains;
using Evaluation.Domain.Registry;

namespace Evaluation.Grains.Registry;

/// <summary>
/// The registry as this silo last saw it. Validation and roll-up read it on every batch, so it is
/// kept in memory and refreshed only when the registry grain's version moves.
/// </summary>
public sealed class RegistryCache(IGrainFactory grains, TimeProvider time)
{
    private static readonly TimeSpan RecheckAfter = TimeSpan.FromSeconds(5);
    private readonly SemaphoreSlim refresh = new(1, 1);
    private DateTimeOffset checkedAt;
    private long version;

    public InstitutionRegistry? Current { get; private set; }

    public async ValueTask<InstitutionRegistry> GetAsync()
    {
        if (Current is { } current && time.GetUtcNow() - checkedAt < RecheckAfter)
        {
            return current;
        }

        await refresh.WaitAsync();
        try
        {
            if (Current is null || time.GetUtcNow() - checkedAt >= RecheckAfter)
            {
                var registryGrain = grains.GetGrain<IRegistryGrain>(0);
                var latest = await registryGrain.GetVersion();
                if (Current is null || latest != version)
                {
                    var snapshot = await registryGrain.GetSnapshot();
                    Current = ShippedRegistry.With(snapshot.Institutions);
                    version = snapshot.Version;
                }

                checkedAt = time.GetUtcNow();
            }

            return Current;
        }
        finally
        {
            refresh.Release();
        }
    }
}
