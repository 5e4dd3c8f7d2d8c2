using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Measures;

namespace Evaluation.Domain.Measures;

/// <summary>How follow-up events change <see cref="FollowUpCounts"/>, and the counters' arithmetic.</summary>
public static class FollowUpTally
{
    /// <summary>Every counter, in a fixed order, so adding, comparing and testing never forget one.</summary>
    private static readonly (Func<FollowUpCounts, long> Get, Action<FollowUpCounts, long> Set)[] Counters =
    [
        (c => c.Opened, (c, v) => c.Opened = v),
        (c => c.CalledBack, (c, v) => c.CalledBack = v),
        (c => c.CalledBackOnTime, (c, v) => c.CalledBackOnTime = v),
        (c => c.CallBackMissed, (c, v) => c.CallBackMissed = v),
        (c => c.Rectified, (c, v) => c.Rectified = v),
        (c => c.RectifiedOnTime, (c, v) => c.RectifiedOnTime = v),
        (c => c.RectifyMissed, (c, v) => c.RectifyMissed = v),
        (c => c.Appealed, (c, v) => c.Appealed = v),
        (c => c.Upheld, (c, v) => c.Upheld = v),
        (c => c.Dismissed, (c, v) => c.Dismissed = v),
        (c => c.Overdue, (c, v) => c.Overdue = v),
    ];

    /// <summary>Applies one follow-up step event; false when <paramref name="logged"/> is not one.</summary>
    public static bool Apply(FollowUpCounts counts, LoggedEvent logged)
    {
        switch (logged.Kind)
        {
            case LoggedEventKind.FollowUpCalledBack:
                counts.CalledBack++;
                counts.CalledBackOnTime += logged.OnTime ? 1 : 0;
                break;
            case LoggedEventKind.FollowUpRectified:
                counts.Rectified++;
                counts.RectifiedOnTime += logged.OnTime ? 1 : 0;
                break;
            case LoggedEventKind.FollowUpAppealed:
                counts.Appealed++;
                break;
            case LoggedEventKind.FollowUpAppealDismissed:
                counts.Dismissed++;
                break;
            case LoggedEventKind.FollowUpCallBackOverdue:
                counts.CallBackMissed++;
                counts.Overdue++;
                break;
            case LoggedEventKind.FollowUpRectifyOverdue:
                counts.RectifyMissed++;
                counts.Overdue++;
                break;
            default:
                return false;
        }

        // A step that ends a stage noted overdue takes the follow-up off the overdue count.
        counts.Overdue -= logged.HadOpen ? 1 : 0;
        return true;
    }

    public static void Add(FollowUpCounts target, FollowUpCounts source, int sign)
    {
        foreach (var (get, set) in Counters)
        {
            set(target, get(target) + (sign * get(source)));
        }
    }

    public static long[] Values(FollowUpCounts? counts) => counts is null ? [] : [.. Counters.Select(c => c.Get(counts))];

    public static bool IsEmpty(FollowUpCounts? counts) => counts is null || Counters.All(c => c.Get(counts) == 0);

    public static bool Same(FollowUpCounts? a, FollowUpCounts? b) =>
        Values(a).AsSpan().SequenceEqual(Values(b)) || (IsEmpty(a) && IsEmpty(b));
}
