using Evaluation.Contracts.Cases;
using Evaluation.Domain.Calendar;
using NodaTime;

namespace Evaluation.Domain.Cases;

/// <summary>
/// The 整改公示 (public rectification notice), defined once for both follow-up stores: over the last
/// <see cref="Days"/> Asia/Shanghai days, the 差评 rectified in them (by rectified time) counted by service item and
/// by tag, the median days from opening to rectification, and the appeal decisions taken in them.
/// </summary>
public static class RectificationNotices
{
    public const int Days = 90;

    /// <summary>The first Shanghai day of the notice that is published at <paramref name="now"/> (today is the last).</summary>
    public static DateOnly FirstDay(DateTimeOffset now) => WorkingCalendar.ToLocalDate(now).PlusDays(-(Days - 1)).ToDateOnly();

    /// <summary>The instant the notice's first day starts; a store may leave out follow-ups with nothing since.</summary>
    public static DateTimeOffset Since(DateTimeOffset now) =>
        LocalDate.FromDateOnly(FirstDay(now)).AtStartOfDayInZone(WorkingCalendar.Shanghai).ToDateTimeOffset();

    /// <summary>The notice over <paramref name="followUps"/>, which may include follow-ups with nothing in the period.</summary>
    public static RectificationNotice Build(string cityCode, string? institutionId, IEnumerable<FollowUp> followUps, DateTimeOffset now)
    {
        var since = Since(now);
        var candidates = followUps.ToList();
        var rectified = candidates.Where(f => f.RectifiedAt >= since).ToList();
        var decisions = candidates.SelectMany(f => f.History)
            .Where(e => e.Step is FollowUpStep.Uphold or FollowUpStep.Dismiss && e.At >= since)
            .ToList();
        return new RectificationNotice(
            cityCode,
            institutionId,
            Days,
            FirstDay(now),
            WorkingCalendar.ToLocalDate(now).ToDateOnly(),
            rectified.Count,
            Counted(rectified.Select(f => f.ServiceItem)),
            Counted(rectified.SelectMany(f => f.Tags.Distinct(StringComparer.Ordinal))),
            Median([.. rectified.Select(f => (f.RectifiedAt!.Value - f.OpenedAt).TotalDays)]) is { } median
                ? Math.Round(median, 1, MidpointRounding.AwayFromZero)
                : null,
            decisions.Count(e => e.Step == FollowUpStep.Uphold),
            decisions.Count(e => e.Step == FollowUpStep.Dismiss));
    }

    /// <summary>The middle value, or the mean of the two middle values of an even count; null for none.</summary>
    public static double? Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static IReadOnlyList<RectifiedCount> Counted(IEnumerable<string> keys) =>
        [.. keys.GroupBy(k => k, StringComparer.Ordinal)
            .Select(g => new RectifiedCount(g.Key, g.Count()))
            .OrderByDescending(c => c.Count)
            .ThenBy(c => c.Key, StringComparer.Ordinal)];
}
