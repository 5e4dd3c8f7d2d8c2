using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Evaluation.ServiceDefaults;

/// <summary>What the silo and the API host set up alike (in the manner of eShop's ServiceDefaults).</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>The project's own meters and activity sources: one per area, all named <c>Evaluation.*</c>.</summary>
    public const string OwnInstruments = "Evaluation.*";

    /// <summary>The environment aliases, then telemetry and the log format; call before reading any settings.</summary>
    public static TelemetrySettings AddServiceDefaults(this IHostApplicationBuilder builder, string serviceName)
    {
        builder.Configuration.AddEnvironmentAliases();
        var telemetry = builder.AddValidatedSettings(c => HostSettings.Bind<TelemetrySettings>(c, TelemetrySettings.Section), t => t.Validate());
        if (telemetry.JsonLogs)
        {
            // Scopes carry the trace and span ids the host's activity tracking adds to every log entry.
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
            builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        }

        builder.AddTelemetry(telemetry, serviceName);
        return telemetry;
    }

    private static void AddTelemetry(this IHostApplicationBuilder builder, TelemetrySettings settings, string serviceName)
    {
        builder.Logging.AddOpenTelemetry(o =>
        {
            o.IncludeFormattedMessage = true;
            o.IncludeScopes = true;
        });

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName))
            .WithMetrics(metrics =>
            {
                metrics.AddRuntimeInstrumentation()
                    .AddMeter("Microsoft.Orleans")
                    .AddNpgsqlInstrumentation()
                    .AddMeter(OwnInstruments);
                if (settings.PrometheusPort is { } port)
                {
                    metrics.AddPrometheusHttpListener(o =>
                    {
                        o.Host = settings.PrometheusHost;
                        o.Port = port;
                    });
                }
            })
            .WithTracing(tracing => tracing
                .AddSource("Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application")
                .AddNpgsql()
                .AddSource(OwnInstruments));

        // The standard variable (or the same key in appsettings) turns on export of logs, metrics and traces.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }
    }
}
