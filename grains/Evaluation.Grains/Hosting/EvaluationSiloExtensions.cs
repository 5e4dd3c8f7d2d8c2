using Evaluation.Contracts.Hosting;
using Evaluation.Domain.Calendar;
using Evaluation.Domain.Cases;
using Evaluation.Grains.Areas;
using Evaluation.Grains.Cases;
using Evaluation.Grains.Detection;
using Evaluation.Grains.EventLog;
using Evaluation.Grains.Ingestion;
using Evaluation.Grains.Notifications;
using Evaluation.Grains.Registry;
using Evaluation.Grains.Reports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Orleans.Configuration;

namespace Evaluation.Grains.Hosting;

public static class EvaluationSiloExtensions
{
    /// <summary>Everything a silo of this system needs: storage, clustering, the event log and the domain services.</summary>
    public static ISiloBuilder AddEvaluation(this ISiloBuilder silo, EvaluationSettings settings)
    {
        if (settings.ClockOffset != TimeSpan.Zero)
        {
            // Before every TryAdd of the system clock, so the grains and Orleans' own scheduling read the shifted one.
            silo.Services.AddSingleton<TimeProvider>(new OffsetTimeProvider(settings.ClockOffset));
        }

        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = settings.ClusterId;
            o.ServiceId = settings.ServiceId;
        });

        if (settings.InMemory)
        {
            silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort);
            silo.AddMemoryGrainStorageAsDefault();
            silo.AddMemoryGrainStorage(GrainStorage.Checkpoints);
            silo.UseInMemoryReminderService();
            silo.Services.AddSingleton<InMemoryFollowUpStore>();
            silo.Services.AddSingleton<IFollowUpStore>(sp => sp.GetRequiredService<InMemoryFollowUpStore>());
            silo.Services.AddEventLog<InMemoryEventLog>();
            silo.Services.AddSingleton<IMonthLogReader, NoMonthLogReader>();
        }
        else
        {
            silo.UseEvaluationPostgres(settings.ConnectionString, settings.MigrationConnectionString);
            if (settings.Kubernetes)
            {
                // Only the ports: the silo host advertises the pod's IP, and Orleans' Kubernetes hosting
                // (silo/Program.cs) listens on all of the pod's addresses where no listening address is set.
                silo.Configure<EndpointOptions>(o =>
                {
                    o.SiloPort = settings.SiloPort;
                    o.GatewayPort = settings.GatewayPort;
                });
            }
            else
            {
                var (advertised, bind) = settings.Addresses();
                silo.Configure<EndpointOptions>(o =>
                {
                    o.AdvertisedIPAddress = advertised;
                    o.SiloPort = settings.SiloPort;
                    o.GatewayPort = settings.GatewayPort;
                    o.SiloListeningEndpoint = new System.Net.IPEndPoint(bind, settings.SiloPort);
                    o.GatewayListeningEndpoint = new System.Net.IPEndPoint(bind, settings.GatewayPort);
                });
            }

            silo.AddPostgresEventLog(settings.ConnectionString);
        }

        silo.UseEvaluationTls(settings.Tls);
        silo.Services.AddClusterExceptionTypes();
        return silo.AddEvaluationServices(settings);
    }

    public static ISiloBuilder AddPostgresEventLog(this ISiloBuilder silo, string connectionString)
    {
        silo.Services.AddSingleton(_ => NpgsqlDataSource.Create(PostgresConnections.Bounded(connectionString)));
        silo.Services.AddEventLog<PostgresEventLog>();
        silo.Services.AddSingleton<IFollowUpStore, PostgresFollowUpStore>();
        silo.Services.AddSingleton<IMonthLogReader, PostgresMonthLogReader>();
        silo.Services.AddSingleton<EventLogPartitions>();
        silo.Services.TryAddSingleton(TimeProvider.System);
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, EventLogPartitionMaintenance>();
        return silo.AddPostgresNotifications();
    }

    /// <summary>The domain services grains take, without storage or clustering (test clusters bring their own).</summary>
    public static ISiloBuilder AddEvaluationServices(this ISiloBuilder silo, EvaluationSettings settings)
    {
        silo.Services.TryAddSingleton(TimeProvider.System);
        silo.Services.TryAddSingleton(WorkingCalendar.Default);
        silo.Services.TryAddSingleton<AreaTiming>();
        silo.Services.AddSingleton<RegistryCache>();
        silo.Services.AddSingleton(new ContactSealer(settings.ContactKeyId, settings.ContactKeyBytes(), settings.RetiredContactKeyBytes()));
        silo.AddDetection(settings);
        silo.Services.AddSingleton(settings.Cases);
        silo.Services.AddSingleton<AuditRules>();
        silo.Services.AddSingleton<FollowUpRules>();
        silo.Services.AddSingleton<ContactLifecycle>();
        silo.Services.TryAddKeyedSingleton(CaseClock.Key, (sp, _) => sp.GetRequiredService<TimeProvider>());
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, CommentTopicsWarmUp>();
        silo.AddActivityPropagation();
        return silo.AddNotificationSources(settings.Notifications, settings.Smtp);
    }
}
