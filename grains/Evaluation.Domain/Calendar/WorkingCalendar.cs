using System.Collections.Frozen;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Data;
using NodaTime;

namespace Evaluation.Domain.Calendar;

/// <summary>
/// Working days on the Asia/Shanghai calendar: Monday to Friday, minus public holidays, plus the
/// weekend days declared make-up workdays (调休上班). Years the holiday list does not cover fall
/// back to the plain weekday rule.
/// </summary>
public sealed class WorkingCalendar
{
    public static readonly DateTimeZone Shanghai = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];

    private static readonly Lazy<WorkingCalendar> Embedded = new(() => Parse(EmbeddedData.ReadText(EmbeddedData.Holidays)));

    private readonly FrozenSet<LocalDate> holidays;
    private readonly FrozenSet<LocalDate> makeUpWorkdays;

    public WorkingCalendar(IEnumerable<LocalDate> holidays, IEnumerable<LocalDate> makeUpWorkdays)
    {
        this.holidays = holidays.ToFrozenSet();
        this.makeUpWorkdays = makeUpWorkdays.ToFrozenSet();
        var both = this.holidays.Intersect(this.makeUpWorkdays).Order().ToList();
        if (both.Count > 0)
            throw new ArgumentException($"Days listed both as holiday and as make-up workday: {string.Join(", ", both)}.");
    }

    /// <summary>The calendar built from the holiday file shipped with the system.</summary>
    public static WorkingCalendar Default => Embedded.Value;

    /// <summary>Reads a holiday file in the format of the embedded <c>holidays.json</c>; any problem throws with every field named.</summary>
    public static WorkingCalendar Parse(string json) => Read(json).OrThrow("Holiday file");

    /// <summary>Reads an operator's holiday file, checking every rule (<see cref="HolidayFile"/>).</summary>
    public static DataFileResult<WorkingCalendar> Read(string json) => HolidayFile.Read(json);

    public bool IsWorkingDay(LocalDate date) =>
        makeUpWorkdays.Contains(date)
        || (!holidays.Contains(date) && date.DayOfWeek is not (IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday));

    /// <summary>A public holiday (not a plain weekend): volume and the mix of services change on these days.</summary>
    public bool IsHoliday(LocalDate date) => holidays.Contains(date);

    /// <summary>The Asia/Shanghai calendar day an instant falls on.</summary>
    public static LocalDate ToLocalDate(DateTimeOffset at) => Instant.FromDateTimeOffset(at).InZone(Shanghai).Date;

    /// <summary>
    /// The working day <paramref name="count"/> working days after <paramref name="from"/>; the start day
    /// itself never counts, so a service accepted on Friday with 1 working day is due on Monday. 0 gives
    /// the start day back.
    /// </summary>
    public LocalDate AddWorkingDays(LocalDate from, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var day = from;
        for (var left = count; left > 0;)
        {
            day = day.PlusDays(1);
            if (IsWorkingDay(day))
                left--;
        }
        return day;
    }

    /// <summary>
    /// When a time limit started at <paramref name="start"/> runs out.
    /// Working days: the end (24:00 Shanghai) of the Nth working day after the start day, so the hour of
    /// acceptance does not matter and the start day is a grace day, as counted for 办理时限.
    /// Hours: plain elapsed hours, nights, weekends and holidays included, because hour limits are for
    /// round-the-clock channels such as the hotline and online enquiries.
    /// </summary>
    public DateTimeOffset Deadline(DateTimeOffset start, TimeLimit limit) => limit.Unit switch
    {
        TimeLimitUnit.WorkingDays => AddWorkingDays(ToLocalDate(start), limit.Value)
            .PlusDays(1)
            .AtStartOfDayInZone(Shanghai)
            .ToDateTimeOffset(),
        TimeLimitUnit.Hours => start.AddHours(limit.Value),
        _ => throw new ArgumentOutOfRangeException(nameof(limit), limit.Unit, "Unknown time-limit unit."),
    };

    /// <summary>On time when completed no later than the deadline; the deadline instant itself still counts.</summary>
    public bool IsOnTime(DateTimeOffset acceptedAt, DateTimeOffset completedAt, TimeLimit limit) =>
        completedAt <= Deadline(acceptedAt, limit);

    /// <summary>
    /// Working days in (<paramref name="from"/>, <paramref name="to"/>]: the start day excluded as in
    /// <see cref="AddWorkingDays"/>, so <c>WorkingDaysBetween(d, AddWorkingDays(d, n)) == n</c>.
    /// Negative when <paramref name="to"/> is before <paramref name="from"/>.
    /// </summary>
    public int WorkingDaysBetween(LocalDate from, LocalDate to) => to < from
        ? -WorkingDaysBetween(to, from)
        : Days(from.PlusDays(1), to).Count(IsWorkingDay);

    internal static IEnumerable<LocalDate> Days(LocalDate first, LocalDate last)
    {
        for (var d = first; d <= last; d = d.PlusDays(1))
            yield return d;
    }
}
