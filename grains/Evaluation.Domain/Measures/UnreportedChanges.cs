using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Measures;

namespace Evaluation.Domain.Measures;

/// <summary>
/// What a member has changed in its aggregate since the report its area acknowledged, so it can report a
/// delta instead of its whole aggregate. It knows the keys of the tallies that changed or went, not how: a
/// delta carries their current values, which holds however often it is applied.
/// </summary>
public sealed class UnreportedChanges
{
    private HashSet<TallyKey> keys = [];
    private HashSet<ServiceItemKey> itemKeys = [];
    private HashSet<TopicKey> topicKeys = [];
    private HashSet<MonthKey> monthKeys = [];
    private long? acknowledged;

    /// <summary>
    /// Whether there is anything to report. Also true while the area's copy is unknown (at first, and after a
    /// report failed), so the member keeps trying until a whole report got through.
    /// </summary>
    public bool Pending => acknowledged is null || keys.Count > 0 || itemKeys.Count > 0 || topicKeys.Count > 0 || monthKeys.Count > 0;

    /// <summary>The tallies <see cref="Aggregation.Apply"/> changed for <paramref name="logged"/>.</summary>
    public void Changed(LoggedEvent logged)
    {
        keys.UnionWith(Aggregation.KeysOf(logged));
        itemKeys.UnionWith(Aggregation.ItemKeysOf(logged));
        topicKeys.UnionWith(TopicTally.KeysOf(logged));
    }

    /// <summary>
    /// The tallies that adding <paramref name="applied"/> (events counted apart, <see cref="Aggregation.AddInto"/>)
    /// changed: every one it holds, a cost per tally instead of per event.
    /// </summary>
    public void Changed(AggregateData applied)
    {
        keys.UnionWith(applied.Tallies.Keys);
        itemKeys.UnionWith(applied.ServiceItems.Keys);
        monthKeys.UnionWith(applied.Months.Keys);
        topicKeys.UnionWith(applied.Topics.Keys);
    }

    public void Changed(IEnumerable<TallyKey> changed) => keys.UnionWith(changed);

    public void Changed(IEnumerable<ServiceItemKey> changed) => itemKeys.UnionWith(changed);

    public void Changed(IEnumerable<MonthKey> changed) => monthKeys.UnionWith(changed);

    public void TopicsChanged(IEnumerable<TopicKey> changed) => topicKeys.UnionWith(changed);

    /// <summary>
    /// The delta from the acknowledged report to <paramref name="current"/> as of <paramref name="position"/>,
    /// with copies of the changed tallies, since the member goes on changing its own, or with the tallies themselves
    /// when the member copies a tally before it changes it (<paramref name="sharing"/>); null when the member must
    /// report its whole aggregate. Changes from now on count toward the next report.
    /// </summary>
    public AggregateDelta? TakeDelta(AggregateData current, long position, TallySharing? sharing = null)
    {
        if (acknowledged is not { } from)
        {
            return null;
        }

        // A day tally folded into its month, or an event of a folded day, changed that month's tally.
        monthKeys.UnionWith(keys.Where(key => key.Day < current.FoldedBefore).Select(MonthKey.Of));
        Func<Tally, Tally> handOut = sharing is null ? Aggregation.CloneTally : sharing.HandOut;
        var (changed, removed) = Take(keys, current.Tallies, handOut);
        var (changedItems, removedItems) = Take(itemKeys, current.ServiceItems, handOut);
        var (changedMonths, removedMonths) = Take(monthKeys, current.Months, handOut);
        var topics = topicKeys.ToDictionary(key => key, key => current.Topics.GetValueOrDefault(key));
        keys = [];
        itemKeys = [];
        topicKeys = [];
        monthKeys = [];
        return new AggregateDelta(from, position, changed, removed, current.Backlog, changedItems, removedItems)
        {
            Topics = topics,
            ChangedMonths = changedMonths,
            RemovedMonths = removedMonths,
            FoldedBefore = current.FoldedBefore,
        };
    }

    private static (Dictionary<TKey, Tally> Changed, List<TKey> Removed) Take<TKey>(
        HashSet<TKey> keys, Dictionary<TKey, Tally> current, Func<Tally, Tally> handOut)
        where TKey : notnull
    {
        var changed = new Dictionary<TKey, Tally>();
        var removed = new List<TKey>();
        foreach (var key in keys)
        {
            if (current.TryGetValue(key, out var tally))
            {
                changed[key] = handOut(tally);
            }
            else
            {
                removed.Add(key);
            }
        }

        return (changed, removed);
    }

    /// <summary>
    /// The area holds the member's report as of <paramref name="position"/>. After a whole report the keys
    /// changed before it stay pending all the same: the area ignores a whole report as of a position it already
    /// holds, whose copy may lack a later pruning, and a second delta of current values costs little.
    /// </summary>
    public void Acknowledged(long position) => acknowledged = position;

    /// <summary>
    /// The area did not take <paramref name="delta"/> (it refused it, or the call failed): its keys are pending
    /// again, since a whole report that follows may be ignored as one of a position the area already holds.
    /// </summary>
    public void NotTaken(AggregateDelta delta)
    {
        keys.UnionWith(delta.Changed.Keys);
        keys.UnionWith(delta.Removed);
        itemKeys.UnionWith(delta.ChangedItems?.Keys ?? []);
        itemKeys.UnionWith(delta.RemovedItems ?? []);
        topicKeys.UnionWith(delta.Topics.Keys);
        monthKeys.UnionWith(delta.ChangedMonths.Keys);
        monthKeys.UnionWith(delta.RemovedMonths);
    }

    /// <summary>A report failed, and whether the area took it is unknown: the next report is a whole one.</summary>
    public void Failed() => acknowledged = null;

    /// <summary>The area's copy is unknown (the member now reports to another area): the next report is a whole one.</summary>
    public void Forget() => acknowledged = null;
}
