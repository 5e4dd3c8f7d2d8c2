using System.Globalization;
using Evaluation.Domain.Calendar;
using NodaTime;

namespace Evaluation.Domain.Reports;

/// <summary>
/// A calendar month of the Asia/Shanghai calendar, the unit of the monthly 通报, and the instants that bound what a
/// report of it counts.
/// </summary>
public sealed record ReportMonth(int Year, int Month)
{
    /// <summary>Exactly <c>yyyy-MM</c>, e.g. <c>2026-10</c>.</summary>
    public static bool TryParse(string? text, out ReportMonth month)
    {
        month = new ReportMonth(1, 1);
        if (text is not { Length: 7 } || text[4] != '-'
            || !int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(text.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || year < 2000 || number is < 1 or > 12)
        {
            return false;
        }

        month = new ReportMonth(year, number);
        return true;
    }

    public string Name => string.Create(CultureInfo.InvariantCulture, $"{Year:0000}-{Month:00}");

    public DateOnly FirstDay => new(Year, Month, 1);

    public DateOnly LastDay => FirstDay.AddMonths(1).AddDays(-1);

    /// <summary>The month's first instant in Asia/Shanghai.</summary>
    public DateTimeOffset From => StartOf(FirstDay);

    /// <summary>
    /// The month's end: the first instant of the next month in Asia/Shanghai. A report counts what the log had
    /// received and the case histories had written before it, and nothing after, so it never changes.
    /// </summary>
    public DateTimeOffset Cut => StartOf(FirstDay.AddMonths(1));

    /// <summary>
    /// How long after the cut a month's report is first given: a batch whose transaction began before the cut is
    /// logged with a receipt time before it even when it commits a moment after, and must be in the log by then.
    /// </summary>
    public static readonly TimeSpan Settle = TimeSpan.FromMinutes(10);

    /// <summary>Whether the month's report is final at <paramref name="now"/>: the month is over and settled.</summary>
    public bool IsFinal(DateTimeOffset now) => now >= Cut + Settle;

    private static DateTimeOffset StartOf(DateOnly day) =>
        WorkingCalendar.Shanghai.AtStartOfDay(LocalDate.FromDateOnly(day)).ToDateTimeOffset();
}
