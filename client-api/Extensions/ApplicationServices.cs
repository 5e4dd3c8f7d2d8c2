using System.Text.Json;
using System.Text.Json.Serialization;
using Evaluation.ClientApi.Apis;
using Evaluation.ClientApi.Application;
using Evaluation.ClientApi.OpenApi;
using Evaluation.ClientApi.Pages;
using Evaluation.ClientApi.Reports;
using Evaluation.ClientApi.Security;
using Evaluation.Contracts.Hosting;
using Evaluation.ServiceDefaults;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace Evaluation.ClientApi.Extensions;

public static class ApplicationServices
{
    /// <summary>The API host's one composition root.</summary>
    public static void AddApplicationServices(this WebApplicationBuilder builder)
    {
        var settings = builder.AddValidatedSettings(
            c => HostSettings.Bind<ApiSettings>(c),
            s => s.Validate(DevelopmentHost.IsDevelopmentOnLoopback(builder.Environment, builder.Configuration)));
        builder.AddAccessControl(settings);
        builder.Services.AddHttpTelemetry();
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<RefusalProblems>();
        builder.Services.AddExceptionHandler<TransientFaults>();
        builder.Services.AddApplication();
        builder.Services.AddApiDocumentation();
        builder.Services.ConfigureHttpJsonOptions(o => ConfigureJson(o.SerializerOptions));
        builder.Services.AddPortals();
        builder.Services.AddPublicCaching();

        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = settings.ClusterId;
                o.ServiceId = settings.ServiceId;
            });
            // After a restart of the whole cluster the silos listen on new gateways; find them within seconds.
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));
            client.UseEvaluationTls(settings.Tls);
            client.Services.AddClusterExceptionTypes();
            client.AddActivityPropagation();
            client.AddDashboard();
            if (settings.InMemory)
            {
                client.UseLocalhostClustering(settings.GatewayPort);
            }
            else
            {
                client.UseAdoNetClustering(o =>
                {
                    o.Invariant = "Npgsql";
                    o.ConnectionString = settings.ConnectionString;
                });
            }
        });

        // Ready means this host can serve: it reaches the cluster. PostgreSQL is a dependency the silos ride out
        // (sources get 503 and retry); failing every API host's readiness on a blip would take the whole API away.
        var health = builder.Services.AddHealthChecks()
            .AddCheck<ClusterHealthCheck>("cluster", tags: [ReadyTag, DependencyTag]);
        if (settings.InMemory)
        {
            builder.Services.AddSingleton<IReportArchive, InProcessReportArchive>();
        }
        else
        {
            builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(settings.ConnectionString));
            builder.Services.AddSingleton<IReportArchive, PostgresReportArchive>();
            health.AddCheck<PostgresHealthCheck>("postgresql", failureStatus: HealthStatus.Degraded, tags: [DependencyTag]);

            // One key ring for all API hosts, so a console form rendered by one host may be posted to any other.
            builder.Services.AddDataProtection().SetApplicationName("Evaluation");
            builder.Services.AddOptions<KeyManagementOptions>()
                .Configure<NpgsqlDataSource>((options, dataSource) => options.XmlRepository = new PostgresKeyRepository(dataSource));
        }
    }

    /// <summary>camelCase, enums as the kebab-case words of the contract (e.g. <c>comprehensive-centre</c>).</summary>
    public static void ConfigureJson(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DictionaryKeyPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
    }

    private const string ReadyTag = "ready";
    private const string DependencyTag = "dependency";

    /// <summary>
    /// <c>/health/live</c>: the process runs. <c>/health/ready</c>: it can serve (the cluster answers).
    /// <c>/health/dependencies</c>: everything it relies on, 503 while any is degraded, for operators and alerts.
    /// </summary>
    public static void MapHealthEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        app.MapHealthChecks("/health/dependencies", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(DependencyTag),
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        });
    }
}

/// <summary>Ready means the cluster answers a real grain call, not merely that the client thinks it is connected.</summary>
internal sealed class ClusterHealthCheck(IClusterClient client) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var items = await client.GetGrain<Evaluation.Contracts.Grains.IDirectoryGrain>(0).GetServiceItems()
                .WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return HealthCheckResult.Healthy($"{items.Count} service items");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("the Orleans cluster does not answer", ex);
        }
    }
}

internal sealed class PostgresHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex)
        {
            // Degraded as registered: the API host still serves while the database is away.
            return new HealthCheckResult(context.Registration.FailureStatus, "PostgreSQL does not answer", ex);
        }
    }
}
