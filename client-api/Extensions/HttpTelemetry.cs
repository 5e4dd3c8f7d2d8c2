using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Evaluation.ClientApi.Extensions;

public static class HttpTelemetry
{
    /// <summary>
    /// The API's requests in the metrics and traces the service defaults set up (which the silo shares, so they
    /// know nothing of HTTP); health probes are left out of the traces, where they would be most of what there is.
    /// </summary>
    public static void AddHttpTelemetry(this IServiceCollection services)
    {
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddAspNetCoreInstrumentation());
        services.ConfigureOpenTelemetryTracerProvider(tracing =>
            tracing.AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/health")));
    }
}
