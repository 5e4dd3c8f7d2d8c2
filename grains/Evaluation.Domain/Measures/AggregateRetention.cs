using Evaluation.Contracts.Measures;

namespace Evaluation.Domain.Measures;

/// <summary>
/// What an institution keeps of its past on a given day: its days one by one as far back as any measure needs them,
/// earlier ones folded into months, nothing older than the retention, and service items for their shorter
/// retention. A state stored before months existed is folded the same way when it is next compacted.
/// </summary>
public static class AggregateRetention
{
    /// <summary>
    /// Folds and prunes <paramref name="data"/> as of <paramref name="today"/> and tells <paramref name="unreported"/>
    /// every tally that changed or went; returns whether anything did.
    /// </summary>
    public static bool Compact(AggregateData data, DateOnly today, MeasureSettings settings, UnreportedChanges unreported)
    {
        var firstKept = today.AddDays(-settings.RetentionDays);
        var folded = Aggregation.FoldBefore(data, settings.FirstDailyDay(today));
        var prunedDays = Aggregation.PruneBefore(data, firstKept);
        var prunedMonths = Aggregation.PruneMonthsBefore(data, firstKept);
        var prunedItems = Aggregation.PruneServiceItemsBefore(data, settings.FirstRetainedServiceItemDay(today));
        var prunedTopics = TopicTally.PruneBefore(data, firstKept);
        unreported.Changed(folded);
        unreported.Changed(prunedDays);
        unreported.Changed(prunedMonths);
        unreported.Changed(prunedItems);
        unreported.TopicsChanged(prunedTopics);
        return folded.Count + prunedDays.Count + prunedMonths.Count + prunedItems.Count + prunedTopics.Count > 0;
    }
}
