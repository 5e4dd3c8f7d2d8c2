namespace Evaluation.ServiceDefaults;

/// <summary>Metrics, traces and the log format of a host (section <c>Evaluation:Telemetry</c>).</summary>
public sealed class TelemetrySettings
{
    public const string Section = "Evaluation:Telemetry";

    /// <summary>
    /// The port Prometheus scrapes <c>/metrics</c> on (Evaluation:Telemetry:PrometheusPort): a port of its own, never
    /// the API's public one, so only whoever the network lets reach it (in Kubernetes, the monitoring namespace) can
    /// read it. Unset: no scrape endpoint.
    /// </summary>
    public int? PrometheusPort { get; set; }

    /// <summary>The address that port listens on (Evaluation:Telemetry:PrometheusHost): <c>localhost</c>, or <c>+</c> for all of the host's.</summary>
    public string PrometheusHost { get; set; } = "localhost";

    /// <summary>Console logs as one JSON object a line, with the trace and span ids of the request (Evaluation:Telemetry:JsonLogs).</summary>
    public bool JsonLogs { get; set; }

    public IEnumerable<string> Validate()
    {
        if (PrometheusPort is < 1 or > 65535)
        {
            yield return "Evaluation:Telemetry:PrometheusPort must be a TCP port (e.g. 9464), or unset for no scrape endpoint.";
        }

        if (string.IsNullOrWhiteSpace(PrometheusHost) || PrometheusHost.Contains('/', StringComparison.Ordinal))
        {
            yield return $"Evaluation:Telemetry:PrometheusHost '{PrometheusHost}' must be a host name or address without scheme, port or path, e.g. localhost or + (all addresses).";
        }
    }
}
