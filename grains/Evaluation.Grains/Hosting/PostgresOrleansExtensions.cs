using Evaluation.Grains.Areas;
using Evaluation.Grains.Notifications;
using Evaluation.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Providers;
using Orleans.Serialization;
using Orleans.Storage;

namespace Evaluation.Grains.Hosting;

public static class PostgresOrleansExtensions
{
    /// <summary>The ADO.NET invariant name of Npgsql; referencing the Npgsql package is all it needs.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>
    /// Orleans on PostgreSQL: ADO.NET clustering, reminders, and grain storage as the default
    /// provider and as <see cref="GrainStorage.Checkpoints"/>. Applies the embedded schema
    /// (<see cref="SchemaMigrator"/>) first thing in the silo lifecycle, before any provider reads
    /// its queries. States that announce their changes (<see cref="NotifyingGrainStorage"/>) commit their outbox
    /// events with them. The migrations run as <paramref name="migrationConnectionString"/> when given (the schema
    /// owner; ops/sql/009_roles.sql), so the silo's own role needs no DDL.
    /// </summary>
    public static ISiloBuilder UseEvaluationPostgres(this ISiloBuilder builder, string connectionString, string? migrationConnectionString = null)
    {
        connectionString = PostgresConnections.Bounded(connectionString);
        var migrationConnection = PostgresConnections.Bounded(migrationConnectionString ?? connectionString);
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp =>
            new MigrateOnStart(new SchemaMigrator(migrationConnection, sp.GetRequiredService<ILogger<SchemaMigrator>>())));

        builder.UseAdoNetClustering(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = connectionString;
        });
        builder.UseAdoNetReminderService(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = connectionString;
        });

        foreach (var name in new[] { ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, GrainStorage.Checkpoints })
        {
            builder.AddAdoNetGrainStorage(name, options => options.Configure<Serializer>((o, serializer) =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = connectionString;
                // The default is Newtonsoft JSON, which writes dictionary keys with ToString() and so
                // cannot read back Dictionary<TallyKey, Tally>; the Orleans codec round-trips every
                // [GenerateSerializer] type, the same way grain calls do.
                o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
            }));
            ScopeByGrainType(builder.Services, name);
        }

        return builder;
    }

    private static void ScopeByGrainType(IServiceCollection services, string name)
    {
        var index = services.ToList().FindLastIndex(d =>
            d.ServiceType == typeof(IGrainStorage) && d.IsKeyedService && Equals(d.ServiceKey, name));
        var provider = services[index].KeyedImplementationFactory
            ?? throw new InvalidOperationException($"Grain storage '{name}' is not registered through a factory.");
        services[index] = ServiceDescriptor.KeyedSingleton<IGrainStorage>(name,
            (sp, key) => new NotifyingGrainStorage(new GrainTypeScopedStorage((IGrainStorage)provider(sp, key)), sp));
    }

    private sealed class MigrateOnStart(SchemaMigrator migrator) : ILifecycleParticipant<ISiloLifecycle>
    {
        public void Participate(ISiloLifecycle lifecycle) =>
            lifecycle.Subscribe(nameof(MigrateOnStart), ServiceLifecycleStage.First, migrator.MigrateAsync);
    }
}
