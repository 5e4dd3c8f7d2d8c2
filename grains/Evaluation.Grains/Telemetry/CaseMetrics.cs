using System.Diagnostics.Metrics;

namespace Evaluation.Grains.Telemetry;

/// <summary>Alerts and overdue casework, as each detection run finds them.</summary>
public static class CaseMetrics
{
    public const string MeterName = "Evaluation.Cases";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> AlertsRaised = Meter.CreateCounter<long>(
        "evaluation.alerts.raised", "{alert}", "Alerts raised by detection runs.");

    /// <summary>As the last detection run counted them; a gauge, since the number falls as staff catch up.</summary>
    public static readonly Gauge<long> OverdueAudits = Meter.CreateGauge<long>(
        "evaluation.audits.overdue", "{audit}", "Audits past their deadline at the last detection run.");

    public static readonly Gauge<long> OverdueFollowUps = Meter.CreateGauge<long>(
        "evaluation.followups.overdue", "{follow-up}", "Follow-ups past their deadline and grace at the last detection run.");
}
