using Evaluation.Contracts.Detection;
using Evaluation.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace Evaluation.Grains.Detection;

public static class DetectionHosting
{
    /// <summary>Detection's services, and a start-up task that wakes the detection grain so its timer runs.</summary>
    public static ISiloBuilder AddDetection(this ISiloBuilder silo, EvaluationSettings settings)
    {
        silo.Services.TryAddSingleton(new DetectionTiming { Period = settings.DetectionPeriod, RetrainPeriod = settings.DetectionRetrainPeriod });

        // Models go where the event log goes: PostgreSQL when the silo has it, memory otherwise.
        silo.Services.TryAddSingleton<IModelStore>(sp => sp.GetService<NpgsqlDataSource>() is { } database
            ? new PostgresModelStore(database)
            : new InMemoryModelStore());
        silo.AddStartupTask((services, _) =>
            services.GetRequiredService<IGrainFactory>().GetGrain<IDetectionGrain>(0).GetAlerts(new AlertQuery(PageSize: 1)));
        return silo;
    }
}
