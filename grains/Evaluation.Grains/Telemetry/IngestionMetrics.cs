using System.Diagnostics.Metrics;

namespace Evaluation.Grains.Telemetry;

/// <summary>What an operator watches of ingestion: ratings taken in, how long the log takes, how soon they count.</summary>
public static class IngestionMetrics
{
    public const string MeterName = "Evaluation.Ingestion";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Ratings committed to the log, so acknowledged to their source (duplicates and refusals not counted), by source.</summary>
    public static readonly Counter<long> RatingsAcknowledged = Meter.CreateCounter<long>(
        "evaluation.ratings.acknowledged", "{rating}", "Ratings committed to the event log and acknowledged to their source.");

    public static readonly Histogram<double> LogAppendDuration = Meter.CreateHistogram<double>(
        "evaluation.log.append.duration", "s", "Time to commit one batch of events to the event log.");

    /// <summary>The freshness goal's own measure: from the commit until the institution's aggregate holds the events.</summary>
    public static readonly Histogram<double> FreshnessLag = Meter.CreateHistogram<double>(
        "evaluation.freshness.lag", "s", "Time from a batch's commit to the log until its institutions' aggregates hold it (direct hand-over).");
}
