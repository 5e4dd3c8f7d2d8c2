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

    public static void Apply(AggregateData data, LoggedEvent logged)
    {
        var tally = TallyFor(data.Tallies, new TallyKey(logged.Day, logged.Channel, logged.Domain));
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
                break;
            case LoggedEventKind.EvaluationExcluded:
                // Carries the day, channel, domain and level of the rating it excludes, so it undoes exactly that count.
                if (logged.Level is < 1 or > 5)
                {
                    throw new ArgumentOutOfRangeException(
                        nameof(logged), logged.Level, $"Exclusion {logged.Position} has a level outside 1..5.");
                }

                tally.Levels[logged.Level - 1]--;
                break;
            case LoggedEventKind.ServiceOpened:
                tally.Opened++;
                data.Backlog++;
                break;
            case LoggedEventKind.ServiceCompleted:
                tally.Completed++;
                if (logged.OnTime)
                {
                    tally.CompletedOnTime++;
                }

                tally.HandlingHoursSum += logged.HandlingHours;
                HistogramOf(tally)[HandlingHistogram.BucketOf(logged.HandlingHours)]++;

                // A record first sent already completed never entered the backlog.
                if (logged.HadOpen)
                {
                    data.Backlog--;
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(logged), logged.Kind, "Unknown event kind.");
        }
    }

    public static void AddInto(AggregateData target, AggregateData source)
    {
        foreach (var (key, tally) in source.Tallies)
        {
            AddTally(TallyFor(target.Tallies, key), tally);
        }

        target.Backlog += source.Backlog;
    }

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

    /// <summary>Drops the tallies of days before <paramref name="firstKeptDay"/>; returns how many were dropped.</summary>
    public static int PruneBefore(AggregateData data, DateOnly firstKeptDay)
    {
        var old = data.Tallies.Keys.Where(key => key.Day < firstKeptDay).ToList();
        foreach (var key in old)
        {
            data.Tallies.Remove(key);
        }

        return old.Count;
    }

    public static bool Equal(AggregateData a, AggregateData b) => Differences(a, b).Count == 0;

    /// <summary>
    /// Every difference between two aggregates, one readable line each, for tests and consistency checks.
    /// A missing tally equals an all-zero one and a missing histogram an all-zero one: both mean "nothing happened".
    /// </summary>
    public static IReadOnlyList<string> Differences(AggregateData expected, AggregateData actual)
    {
        var differences = new List<string>();
        if (expected.Backlog != actual.Backlog)
        {
            differences.Add($"Backlog: expected {expected.Backlog}, actual {actual.Backlog}");
        }

        var keys = expected.Tallies.Keys.Union(actual.Tallies.Keys)
            .OrderBy(key => key.Day).ThenBy(key => key.Channel).ThenBy(key => key.Domain);
        foreach (var key in keys)
        {
            var where = $"{key.Day:yyyy-MM-dd}/{key.Channel}/{key.Domain}";
            var e = expected.Tallies.GetValueOrDefault(key) ?? new Tally();
            var a = actual.Tallies.GetValueOrDefault(key) ?? new Tally();
            CompareCounts(differences, where, "Levels", e.Levels, a.Levels);
            CompareCount(differences, where, nameof(Tally.Opened), e.Opened, a.Opened);
            CompareCount(differences, where, nameof(Tally.Completed), e.Completed, a.Completed);
            CompareCount(differences, where, nameof(Tally.CompletedOnTime), e.CompletedOnTime, a.CompletedOnTime);
            var scale = Math.Max(1, Math.Max(Math.Abs(e.HandlingHoursSum), Math.Abs(a.HandlingHoursSum)));
            if (Math.Abs(e.HandlingHoursSum - a.HandlingHoursSum) > HoursTolerance * scale)
            {
                differences.Add(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{where} HandlingHoursSum: expected {e.HandlingHoursSum}, actual {a.HandlingHoursSum}"));
            }

            CompareCounts(
                differences,
                where,
                nameof(Tally.HandlingHistogram),
                e.HandlingHistogram ?? [],
                a.HandlingHistogram ?? []);
        }

        return differences;
    }

    /// <summary>Adds one tally's counters to another; also how measures fold tallies into windows.</summary>
    internal static void AddTally(Tally target, Tally source)
    {
        for (var level = 0; level < target.Levels.Length; level++)
        {
            target.Levels[level] += source.Levels[level];
        }

        target.Opened += source.Opened;
        target.Completed += source.Completed;
        target.CompletedOnTime += source.CompletedOnTime;
        target.HandlingHoursSum += source.HandlingHoursSum;
        if (source.HandlingHistogram is { } histogram)
        {
            var sum = HistogramOf(target);
            for (var bucket = 0; bucket < histogram.Length; bucket++)
            {
                sum[bucket] += histogram[bucket];
            }
        }
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

    private static long[] HistogramOf(Tally tally) =>
        tally.HandlingHistogram ??= new long[HandlingHistogram.BucketCount];

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
