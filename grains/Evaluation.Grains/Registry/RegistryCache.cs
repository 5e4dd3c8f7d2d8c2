using Evaluation.Contracts.Grains;
using Evaluation.Domain.Calendar;
using Evaluation.Domain.Registry;

namespace Evaluation.Grains.Registry;

/// <summary>
/// The registry and the reference lists (service items, working-day calendar, pilot counties) as this silo last
/// saw them. Validation and roll-up read them on every batch, so they are kept in memory and refreshed only when
/// the version of the registry grain or of the reference-data grain moves (checked every few seconds).
/// </summary>
public sealed class RegistryCache(IGrainFactory grains, TimeProvider time)
{
    private static readonly TimeSpan RecheckAfter = TimeSpan.FromSeconds(5);
    private readonly SemaphoreSlim refresh = new(1, 1);
    private DateTimeOffset checkedAt;
    private (long Registry, long Reference) version;

    public InstitutionRegistry? Current { get; private set; }

    /// <summary>The working-day calendar that came with <see cref="Current"/>.</summary>
    public WorkingCalendar Calendar { get; private set; } = WorkingCalendar.Default;

    /// <summary>The calendar in use, refreshed as <see cref="GetAsync"/> refreshes the registry.</summary>
    public async ValueTask<WorkingCalendar> GetCalendarAsync()
    {
        await GetAsync();
        return Calendar;
    }

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
                var referenceGrain = grains.GetGrain<IReferenceDataGrain>(0);
                var latest = (await registryGrain.GetVersion(), await referenceGrain.GetVersion());
                if (Current is null || latest != version)
                {
                    // Reference first: a registry snapshot taken after it never names items older than the lists read.
                    var reference = await referenceGrain.GetSnapshot();
                    var snapshot = await registryGrain.GetSnapshot();
                    var lists = ReferenceData.From(reference);
                    Current = ShippedRegistry.With(snapshot.Institutions, lists);
                    Calendar = lists.Calendar;
                    version = (snapshot.Version, reference.Version);
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
