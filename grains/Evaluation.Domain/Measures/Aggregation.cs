using System.Globalization;
using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Measures;

namespace Evaluation.Domain.Measures;

/// <summary>
/// The one place events become counters and counters are added up, so an institution grain, a city grain and a
/// recomputation over the log all arrive at the same <see cref="AggregateData"/>.
/// </summary>
public static class Aggregation
{
    /// <summary>Relative tolerance for the summed handling hours, which differ in the last bits with summation order.</summary>
    private const double HoursTolerance = 1e-9;

    /// <summary>
    /// Counts one event in the tally of its day, channel and domain (of its month, once that day is folded) and,
    /// when it names its 事项, in the tally of its day and service item too (follow-up steps and exclusions carry
    /// the item of the rating they are about).
    /// </summary>
    public static void Apply(AggregateData data, LoggedEvent logged)
    {
        Count(MainTallyFor(data, KeyOf(logged)), logged);
        if (ItemKeyOf(logged) is { } itemKey)
        {
            Count(TallyFor(data.ServiceItems, itemKey), logged);
        }

        CountRatedService(data, logged);

        switch (logged.Kind)
        {
            case LoggedEventKind.ServiceOpened:
                data.Backlog++;
                break;

            // A record first sent already completed never entered the backlog.
            case LoggedEventKind.ServiceCompleted when logged.HadOpen:
                data.Backlog--;
                break;
        }

        TopicTally.Apply(data, logged);
    }

    private static void Count(Tally tally, LoggedEvent logged)
    {
        switch (logged.Kind)
        {
            case LoggedEventKind.Evaluation:
                // Validation rejects other levels before anything is logged; one here means a corrupt log.
                if (logged.Level is < 1 or > 5)
                {
                    throw new ArgumentOutOfRangeException(
                        nameof(logged), logged.Level, $"Event {logged.Position} has a level outside 1..5.");
                }

                tally.Levels[logged.Level - 1]++;
                tally.Verified += logged.Verified ? 1 : 0;
                if (logged.Level <= 2)
                {
                    // Every logged 差评 opens its follow-up in the same transaction (SPEC 3.4).
                    FollowUpsOf(tally).Opened++;
                }

                break;
            case LoggedEventKind.EvaluationExcluded or LoggedEventKind.EvaluationSourceExcluded:
                // Carries the day, channel, domain, level and verification of the rating it excludes, so it undoes
                // exactly that count. The service stays rated: it was, whatever became of the rating.
                if (logged.Level is < 1 or > 5)
                {
                    throw new ArgumentOutOfRangeException(
                        nameof(logged), logged.Level, $"Exclusion {logged.Position} has a level outside 1..5.");
                }

                tally.Levels[logged.Level - 1]--;
                tally.Verified -= logged.Verified ? 1 : 0;
                if (logged.Kind == LoggedEventKind.EvaluationExcluded)
                {
                    FollowUpsOf(tally).Upheld++;
                }

                break;
            case LoggedEventKind.ServiceOpened:
                tally.Opened++;
                break;
            case LoggedEventKind.ServiceCompleted:
                tally.Completed++;
                if (logged.OnTime)
                {
                    tally.CompletedOnTime++;
                }

                tally.HandlingHoursSum += logged.HandlingHours;
                var bucket = HandlingHistogram.BucketOf(logged.HandlingHours);
                HistogramOf(tally, bucket + 1)[bucket]++;
                break;
            default:
                if (!FollowUpTally.Apply(FollowUpsOf(tally), logged))
                {
                    throw new ArgumentOutOfRangeException(nameof(logged), logged.Kind, "Unknown event kind.");
                }

                break;
        }
    }

    /// <summary>
    /// 评价率: a completed service becomes rated once, on the day it was completed, by whichever of its completion and
    /// its rating is logged second (the log tells which, <see cref="LoggedEvent.RatedServiceDay"/>).
    /// </summary>
    private static void CountRatedService(AggregateData data, LoggedEvent logged)
    {
        if (logged.Kind is not (LoggedEventKind.Evaluation or LoggedEventKind.ServiceCompleted)
            || logged.RatedServiceDay is not { } day)
        {
            return;
        }

        MainTallyFor(data, new TallyKey(day, logged.Channel, logged.Domain)).RatedServices++;
        if (logged.ServiceItem is { } item)
        {
            TallyFor(data.ServiceItems, new ServiceItemKey(day, ItemCode(item))).RatedServices++;
        }
    }

    /// <summary>The tally of a day, or of its month once the aggregate has folded that day.</summary>
    private static Tally MainTallyFor(AggregateData data, TallyKey key) =>
        key.Day < data.FoldedBefore ? TallyFor(data.Months, MonthKey.Of(key)) : TallyFor(data.Tallies, key);

    /// <summary>
    /// Adds the tallies of the days before <paramref name="firstDailyDay"/> into the tallies of their months and
    /// drops them; returns their keys. Every measure sums days of a window (<see cref="MeasureSettings.DailyDays"/>
    /// covers the longest), so folding days before it changes none. Adding is all it does, so folding parts and
    /// summing them gives what summing and then folding gives.
    /// </summary>
    public static IReadOnlyList<TallyKey> FoldBefore(AggregateData data, DateOnly firstDailyDay)
    {
        var folded = data.Tallies.Keys.Where(key => key.Day < firstDailyDay).ToList();
        foreach (var key in folded)
        {
            data.Tallies.Remove(key, out var tally);
            AddTally(TallyFor(data.Months, MonthKey.Of(key)), tally!);
        }

        if (folded.Count > 0)
        {
            // A dictionary keeps its capacity when entries go: a stored state comes back built to size, and a
            // compacted one is made so, or a grain would hold the memory of days it no longer has.
            data.Tallies.TrimExcess();
        }

        data.FoldedBefore = Later(data.FoldedBefore, firstDailyDay);
        return folded;
    }

    public static void AddInto(AggregateData target, AggregateData source)
    {
        AddTallies(target.Tallies, source.Tallies);
        AddTallies(target.ServiceItems, source.ServiceItems);
        AddTallies(target.Months, source.Months);
        target.FoldedBefore = Later(target.FoldedBefore, source.FoldedBefore);
        target.Backlog += source.Backlog;
        TopicTally.AddInto(target, source);
    }

    /// <summary>
    /// Turns a sum that holds <paramref name="previous"/> into one that holds <paramref name="current"/> instead.
    /// A member's new aggregate differs from its previous one in a few recent days, so only the tallies that
    /// differ are subtracted and added again; tallies left with nothing in them are removed, so a total does not
    /// keep the days its members have pruned.
    /// </summary>
    public static void Replace(AggregateData total, AggregateData previous, AggregateData current)
    {
        ReplaceTallies(total.Tallies, previous.Tallies, current.Tallies);
        ReplaceTallies(total.ServiceItems, previous.ServiceItems, current.ServiceItems);
        ReplaceTallies(total.Months, previous.Months, current.Months);
        total.FoldedBefore = Later(total.FoldedBefore, current.FoldedBefore);
        total.Backlog += current.Backlog - previous.Backlog;
        TopicTally.Replace(total, previous, current);
    }

    private static void ReplaceTallies<TKey>(
        Dictionary<TKey, Tally> total, Dictionary<TKey, Tally> previous, Dictionary<TKey, Tally> current)
        where TKey : notnull
    {
        foreach (var (key, tally) in current)
        {
            var before = previous.GetValueOrDefault(key);
            if (before is null || !SameCounts(before, tally))
            {
                var target = TallyFor(total, key);
                if (before is not null)
                {
                    SubtractTally(target, before);
                }

                AddTally(target, tally);
                RemoveIfEmpty(total, key, target);
            }
        }

        foreach (var (key, tally) in previous)
        {
            if (!current.ContainsKey(key))
            {
                var target = TallyFor(total, key);
                SubtractTally(target, tally);
                RemoveIfEmpty(total, key, target);
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="data"/> holds nothing at all, so adding an aggregate into it gives the same counts, in
    /// the same order, as that aggregate: its fold day aside, which <see cref="AddInto"/> takes as the later of two.
    /// </summary>
    public static bool IsBlank(AggregateData data) =>
        data.Tallies.Count == 0 && data.ServiceItems.Count == 0 && data.Months.Count == 0 && data.Topics.Count == 0 && data.Backlog == 0;

    public static AggregateData Sum(IEnumerable<AggregateData> parts)
    {
        var total = new AggregateData();
        foreach (var part in parts)
        {
            AddInto(total, part);
        }

        return total;
    }

    public static AggregateData Clone(AggregateData data) => Sum([data]);

    /// <summary>
    /// A copy with dictionaries of its own holding the same tallies, so whoever holds it may add and remove tallies
    /// without touching <paramref name="data"/>; neither may change a tally (see <see cref="TallySharing"/>).
    /// </summary>
    public static AggregateData ShallowCopy(AggregateData data) => new()
    {
        Tallies = new Dictionary<TallyKey, Tally>(data.Tallies),
        Backlog = data.Backlog,
        ServiceItems = new Dictionary<ServiceItemKey, Tally>(data.ServiceItems),
        Topics = new Dictionary<TopicKey, long>(data.Topics),
        Months = new Dictionary<MonthKey, Tally>(data.Months),
        FoldedBefore = data.FoldedBefore,
    };

    /// <summary>Drops the tallies of days before <paramref name="firstKeptDay"/>; returns their keys.</summary>
    public static IReadOnlyList<TallyKey> PruneBefore(AggregateData data, DateOnly firstKeptDay) =>
        PruneDays(data.Tallies, key => key.Day, firstKeptDay);

    /// <summary>
    /// Drops the month tallies that end before <paramref name="firstKeptDay"/>; returns their keys. A month that
    /// straddles it is kept whole: it cannot be split, and dropping it would lose days still retained.
    /// </summary>
    public static IReadOnlyList<MonthKey> PruneMonthsBefore(AggregateData data, DateOnly firstKeptDay) =>
        PruneDays(data.Months, key => key.LastDay, firstKeptDay);

    /// <summary>
    /// Drops the service-item tallies of days before <paramref name="firstKeptDay"/>; returns their keys. They are
    /// kept for fewer days than the main tallies (<see cref="MeasureSettings.ServiceItemRetentionDays"/>): they
    /// multiply an institution's state by its number of items, and no per-item measure looks further back.
    /// </summary>
    public static IReadOnlyList<ServiceItemKey> PruneServiceItemsBefore(AggregateData data, DateOnly firstKeptDay) =>
        PruneDays(data.ServiceItems, key => key.Day, firstKeptDay);

    private static List<TKey> PruneDays<TKey>(Dictionary<TKey, Tally> tallies, Func<TKey, DateOnly> dayOf, DateOnly firstKeptDay)
        where TKey : notnull
    {
        var old = tallies.Keys.Where(key => dayOf(key) < firstKeptDay).ToList();
        foreach (var key in old)
        {
            tallies.Remove(key);
        }

        if (old.Count > 0)
        {
            tallies.TrimExcess();
        }

        return old;
    }

    /// <summary>The key of the tally <see cref="Apply"/> counts <paramref name="logged"/> in.</summary>
    public static TallyKey KeyOf(LoggedEvent logged) => new(logged.Day, logged.Channel, logged.Domain);

    /// <summary>Every tally <see cref="Apply"/> changes for <paramref name="logged"/>: its own, and the rated service's day's.</summary>
    public static IEnumerable<TallyKey> KeysOf(LoggedEvent logged)
    {
        yield return KeyOf(logged);
        if (logged.RatedServiceDay is { } day && day != logged.Day)
        {
            yield return new TallyKey(day, logged.Channel, logged.Domain);
        }
    }

    /// <summary>The key of the service-item tally <see cref="Apply"/> counts <paramref name="logged"/> in, if it names its item.</summary>
    public static ServiceItemKey? ItemKeyOf(LoggedEvent logged) =>
        logged.ServiceItem is { } item ? new ServiceItemKey(logged.Day, ItemCode(item)) : null;

    /// <summary>
    /// One string per service item code however many tallies name it: each event read from the log brings its own
    /// copy, and an institution's 90 days of item tallies kept one each (a few hundred per institution). The codes
    /// are the registry's, a bounded set, so the runtime's intern pool holds them.
    /// </summary>
    private static string ItemCode(string item) => string.Intern(item);

    /// <summary>Every service-item tally <see cref="Apply"/> changes for <paramref name="logged"/>.</summary>
    public static IEnumerable<ServiceItemKey> ItemKeysOf(LoggedEvent logged)
    {
        if (logged.ServiceItem is not { } item)
        {
            yield break;
        }

        yield return new ServiceItemKey(logged.Day, item);
        if (logged.RatedServiceDay is { } day && day != logged.Day)
        {
            yield return new ServiceItemKey(day, item);
        }
    }

    public static Tally CloneTally(Tally tally)
    {
        var copy = new Tally();
        AddTally(copy, tally);
        return copy;
    }

    public static bool Equal(AggregateData a, AggregateData b) => Differences(a, b).Count == 0;

    /// <summary>
    /// Every difference between two aggregates, one readable line each, for tests and consistency checks.
    /// A missing tally equals an all-zero one and a missing histogram an all-zero one: both mean "nothing happened".
    /// </summary>
    /// <remarks>
    /// Days one aggregate has folded into months are compared as months: both are folded as far as the further
    /// folded of the two (a recomputation over the log folds nothing).
    /// </remarks>
    public static IReadOnlyList<string> Differences(AggregateData expected, AggregateData actual)
    {
        var cut = Later(expected.FoldedBefore, actual.FoldedBefore);
        if (cut > DateOnly.MinValue)
        {
            (expected, actual) = (FoldedClone(expected, cut), FoldedClone(actual, cut));
        }

        var differences = new List<string>();
        if (expected.Backlog != actual.Backlog)
        {
            differences.Add($"Backlog: expected {expected.Backlog}, actual {actual.Backlog}");
        }

        var keys = expected.Tallies.Keys.Union(actual.Tallies.Keys)
            .OrderBy(key => key.Day).ThenBy(key => key.Channel).ThenBy(key => key.Domain);
        foreach (var key in keys)
        {
            CompareTallies(differences, $"{key.Day:yyyy-MM-dd}/{key.Channel}/{key.Domain}", expected.Tallies.GetValueOrDefault(key), actual.Tallies.GetValueOrDefault(key));
        }

        var items = expected.ServiceItems.Keys.Union(actual.ServiceItems.Keys)
            .OrderBy(key => key.Day).ThenBy(key => key.ServiceItem, StringComparer.Ordinal);
        foreach (var key in items)
        {
            CompareTallies(differences, $"{key.Day:yyyy-MM-dd}/item {key.ServiceItem}", expected.ServiceItems.GetValueOrDefault(key), actual.ServiceItems.GetValueOrDefault(key));
        }

        var months = expected.Months.Keys.Union(actual.Months.Keys)
            .OrderBy(key => key.Year).ThenBy(key => key.Month).ThenBy(key => key.Channel).ThenBy(key => key.Domain);
        foreach (var key in months)
        {
            CompareTallies(differences, $"{key.Year:D4}-{key.Month:D2}/{key.Channel}/{key.Domain}", expected.Months.GetValueOrDefault(key), actual.Months.GetValueOrDefault(key));
        }

        TopicTally.Compare(differences, expected, actual);
        return differences;
    }

    private static AggregateData FoldedClone(AggregateData data, DateOnly firstDailyDay)
    {
        var clone = Clone(data);
        FoldBefore(clone, firstDailyDay);
        return clone;
    }

    /// <summary>The later of two fold days: a sum holds whatever its parts have folded.</summary>
    internal static DateOnly Later(DateOnly a, DateOnly b) => a > b ? a : b;

    private static void CompareTallies(List<string> differences, string where, Tally? expected, Tally? actual)
    {
        var e = expected ?? new Tally();
        var a = actual ?? new Tally();
        CompareCounts(differences, where, "Levels", e.Levels, a.Levels);
        CompareCount(differences, where, nameof(Tally.Opened), e.Opened, a.Opened);
        CompareCount(differences, where, nameof(Tally.Completed), e.Completed, a.Completed);
        CompareCount(differences, where, nameof(Tally.CompletedOnTime), e.CompletedOnTime, a.CompletedOnTime);
        CompareCount(differences, where, nameof(Tally.Verified), e.Verified, a.Verified);
        CompareCount(differences, where, nameof(Tally.RatedServices), e.RatedServices, a.RatedServices);
        var scale = Math.Max(1, Math.Max(Math.Abs(e.HandlingHoursSum), Math.Abs(a.HandlingHoursSum)));
        if (Math.Abs(e.HandlingHoursSum - a.HandlingHoursSum) > HoursTolerance * scale)
        {
            differences.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"{where} HandlingHoursSum: expected {e.HandlingHoursSum}, actual {a.HandlingHoursSum}"));
        }

        CompareCounts(differences, where, nameof(Tally.HandlingHistogram), e.HandlingHistogram ?? [], a.HandlingHistogram ?? []);
        CompareCounts(differences, where, nameof(Tally.FollowUps), FollowUpTally.Values(e.FollowUps), FollowUpTally.Values(a.FollowUps));
    }

    private static void AddTallies<TKey>(Dictionary<TKey, Tally> target, Dictionary<TKey, Tally> source)
        where TKey : notnull
    {
        foreach (var (key, tally) in source)
        {
            AddTally(TallyFor(target, key), tally);
        }
    }

    /// <summary>Adds one tally's counters to another; also how measures fold tallies into windows.</summary>
    /// <param name="histogram">False leaves the handling-time distribution out, for a sum that reads none (detection's
    /// feature inputs): it is most of a tally's bytes.</param>
    public static void AddTally(Tally target, Tally source, bool histogram = true)
    {
        for (var level = 0; level < target.Levels.Length; level++)
        {
            target.Levels[level] += source.Levels[level];
        }

        target.Opened += source.Opened;
        target.Completed += source.Completed;
        target.CompletedOnTime += source.CompletedOnTime;
        target.Verified += source.Verified;
        target.RatedServices += source.RatedServices;
        target.HandlingHoursSum += source.HandlingHoursSum;
        if (histogram && source.HandlingHistogram is { } buckets)
        {
            var sum = HistogramOf(target, buckets.Length);
            for (var bucket = 0; bucket < buckets.Length; bucket++)
            {
                sum[bucket] += buckets[bucket];
            }
        }

        if (source.FollowUps is { } followUps)
        {
            FollowUpTally.Add(FollowUpsOf(target), followUps, 1);
        }
    }

    private static void SubtractTally(Tally target, Tally source)
    {
        for (var level = 0; level < target.Levels.Length; level++)
        {
            target.Levels[level] -= source.Levels[level];
        }

        target.Opened -= source.Opened;
        target.Completed -= source.Completed;
        target.CompletedOnTime -= source.CompletedOnTime;
        target.Verified -= source.Verified;
        target.RatedServices -= source.RatedServices;
        target.HandlingHoursSum -= source.HandlingHoursSum;
        if (source.HandlingHistogram is { } histogram)
        {
            var sum = HistogramOf(target, histogram.Length);
            for (var bucket = 0; bucket < histogram.Length; bucket++)
            {
                sum[bucket] -= histogram[bucket];
            }
        }

        if (source.FollowUps is { } followUps)
        {
            FollowUpTally.Add(FollowUpsOf(target), followUps, -1);
        }

        // A member's completions only ever grow, so none left in the sum means none in any member and hours of
        // exactly zero; what the subtraction leaves is rounding, which must not keep the tally alive.
        if (target.Completed == 0)
        {
            target.HandlingHoursSum = 0;
        }
    }

    private static void RemoveIfEmpty<TKey>(Dictionary<TKey, Tally> total, TKey key, Tally tally)
        where TKey : notnull
    {
        if (IsEmpty(tally))
        {
            total.Remove(key);
        }
    }

    /// <summary>Whether every counter of the tally is zero: it says nothing happened.</summary>
    internal static bool IsEmpty(Tally tally) =>
        tally.Opened == 0
        && tally.Completed == 0
        && tally.CompletedOnTime == 0
        && tally.Verified == 0
        && tally.RatedServices == 0
        && tally.HandlingHoursSum == 0
        && !tally.Levels.AsSpan().ContainsAnyExcept(0)
        && !tally.HandlingHistogram.AsSpan().ContainsAnyExcept(0)
        && FollowUpTally.IsEmpty(tally.FollowUps);

    /// <summary>Whether two tallies hold exactly the same counts.</summary>
    public static bool SameCounts(Tally a, Tally b) =>
        a.Opened == b.Opened
        && a.Completed == b.Completed
        && a.CompletedOnTime == b.CompletedOnTime
        && a.Verified == b.Verified
        && a.RatedServices == b.RatedServices
        && a.HandlingHoursSum.Equals(b.HandlingHoursSum)
        && a.Levels.AsSpan().SequenceEqual(b.Levels)
        && SameBuckets(a.HandlingHistogram, b.HandlingHistogram)
        && FollowUpTally.Same(a.FollowUps, b.FollowUps);

    /// <summary>Whether two histograms count the same, a bucket one of them lacks counting zero.</summary>
    private static bool SameBuckets(long[]? a, long[]? b)
    {
        if ((a ?? []).Length > (b ?? []).Length)
        {
            (a, b) = (b, a);
        }

        var shorter = a.AsSpan();
        var longer = b.AsSpan();
        return shorter.SequenceEqual(longer[..shorter.Length]) && !longer[shorter.Length..].ContainsAnyExcept(0);
    }

    internal static Tally TallyFor<TKey>(Dictionary<TKey, Tally> tallies, TKey key)
        where TKey : notnull
    {
        if (!tallies.TryGetValue(key, out var tally))
        {
            tally = new Tally();
            tallies[key] = tally;
        }

        return tally;
    }

    /// <summary>
    /// The tally's histogram with at least <paramref name="buckets"/> buckets. It holds only the buckets up to the
    /// highest one counted: handling times cluster in the lower half of the 51 buckets, and a full histogram was
    /// 432 of a day tally's ~650 bytes. Absent buckets count zero wherever histograms are read or compared.
    /// </summary>
    private static long[] HistogramOf(Tally tally, int buckets)
    {
        var histogram = tally.HandlingHistogram ?? [];
        if (histogram.Length < buckets)
        {
            Array.Resize(ref histogram, buckets);
            tally.HandlingHistogram = histogram;
        }

        return histogram;
    }

    private static FollowUpCounts FollowUpsOf(Tally tally) => tally.FollowUps ??= new FollowUpCounts();

    private static void CompareCount(List<string> differences, string where, string field, long expected, long actual)
    {
        if (expected != actual)
        {
            differences.Add($"{where} {field}: expected {expected}, actual {actual}");
        }
    }

    private static void CompareCounts(List<string> differences, string where, string field, long[] expected, long[] actual)
    {
        for (var i = 0; i < Math.Max(expected.Length, actual.Length); i++)
        {
            CompareCount(
                differences,
                where,
                $"{field}[{i}]",
                i < expected.Length ? expected[i] : 0,
                i < actual.Length ? actual[i] : 0);
        }
    }
}
