using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Measures;

namespace Evaluation.Domain.Measures;

/// <summary>
/// Lets an aggregate's owner hand its tallies out without copying them, and copy one only when it is about to change
/// it. A city kept a deep copy of every institution's aggregate beside the institution's own, on the same silo as a
/// rule: half the silo's memory at 10,000 institutions, though nearly all of those tallies (the past days) never
/// change again. After <see cref="HandOut"/> every tally is shared with the taker; the owner calls
/// <see cref="BeforeApply"/> and <see cref="BeforeFold"/> before it changes tallies, and each shared tally it is
/// about to change is swapped for a private copy, once per tally until the next hand-out.
/// </summary>
public sealed class TallySharing
{
    private readonly HashSet<TallyKey> ownDays = [];
    private readonly HashSet<ServiceItemKey> ownItems = [];
    private readonly HashSet<MonthKey> ownMonths = [];
    private bool handedOut;

    /// <summary>
    /// A copy of <paramref name="data"/> with dictionaries of its own and the owner's tallies in them: the taker may
    /// keep it, add and remove tallies, but must not change a tally, and the owner changes none of them from now on.
    /// </summary>
    public AggregateData HandOut(AggregateData data)
    {
        handedOut = true;
        ownDays.Clear();
        ownItems.Clear();
        ownMonths.Clear();
        return Aggregation.ShallowCopy(data);
    }

    /// <summary>
    /// Hands one tally out, in a delta: from now on the owner copies it before changing it, like every other tally
    /// (the sets of tallies already copied since the last hand-out go, which costs a copy of a few recent ones).
    /// Copying each changed tally into each delta instead made the city's copy of a replayed institution a second
    /// full one, since every tally the replay touched goes into the first delta.
    /// </summary>
    public Tally HandOut(Tally tally)
    {
        if (ownDays.Count + ownItems.Count + ownMonths.Count > 0 || !handedOut)
        {
            handedOut = true;
            ownDays.Clear();
            ownItems.Clear();
            ownMonths.Clear();
        }

        return tally;
    }

    /// <summary>Makes the tallies <see cref="Aggregation.Apply"/> changes for <paramref name="logged"/> the owner's own.</summary>
    public void BeforeApply(AggregateData data, LoggedEvent logged)
    {
        if (!handedOut)
        {
            return;
        }

        foreach (var key in Aggregation.KeysOf(logged))
        {
            if (key.Day < data.FoldedBefore)
            {
                Own(data.Months, MonthKey.Of(key), ownMonths);
            }
            else
            {
                Own(data.Tallies, key, ownDays);
            }
        }

        foreach (var key in Aggregation.ItemKeysOf(logged))
        {
            Own(data.ServiceItems, key, ownItems);
        }
    }

    /// <summary>
    /// Makes the tallies <see cref="Aggregation.AddInto"/> changes when it adds <paramref name="source"/> the owner's
    /// own: a catch-up counts the events it reads apart and adds them at once.
    /// </summary>
    public void BeforeAdd(AggregateData data, AggregateData source)
    {
        if (!handedOut)
        {
            return;
        }

        OwnAll(data.Tallies, source.Tallies.Keys, ownDays);
        OwnAll(data.ServiceItems, source.ServiceItems.Keys, ownItems);
        OwnAll(data.Months, source.Months.Keys, ownMonths);
    }

    /// <summary>Makes the month tallies <see cref="Aggregation.FoldBefore"/> adds days into the owner's own.</summary>
    public void BeforeFold(AggregateData data, DateOnly firstDailyDay)
    {
        if (!handedOut)
        {
            return;
        }

        OwnAll(data.Months, data.Tallies.Keys.Where(key => key.Day < firstDailyDay).Select(MonthKey.Of).Distinct(), ownMonths);
    }

    private static void OwnAll<TKey>(Dictionary<TKey, Tally> tallies, IEnumerable<TKey> keys, HashSet<TKey> own)
        where TKey : notnull
    {
        foreach (var key in keys)
        {
            Own(tallies, key, own);
        }
    }

    private static void Own<TKey>(Dictionary<TKey, Tally> tallies, TKey key, HashSet<TKey> own)
        where TKey : notnull
    {
        // A tally created after the hand-out is the owner's already; recording its key keeps it from being copied.
        if (own.Add(key) && tallies.TryGetValue(key, out var shared))
        {
            tallies[key] = Aggregation.CloneTally(shared);
        }
    }
}
