using Evaluation.Contracts.Registry;
using Evaluation.Domain.Calendar;
using NodaTime;
using Xunit;

namespace Evaluation.Domain.Tests.Calendar;

public sealed class WorkingCalendarTests
{
    private static readonly WorkingCalendar Calendar = WorkingCalendar.Default;
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    [Theory]
    [InlineData("2026-03-06", true)] // Friday
    [InlineData("2026-03-07", false)] // Saturday
    [InlineData("2026-03-08", false)] // Sunday
    [InlineData("2026-10-01", false)] // National Day
    [InlineData("2026-10-05", false)] // Monday inside the National Day week
    [InlineData("2026-02-16", false)] // Spring Festival eve, a Monday
    [InlineData("2026-10-10", true)] // make-up Saturday
    [InlineData("2026-09-20", true)] // make-up Sunday
    [InlineData("2026-01-04", true)] // make-up Sunday after New Year
    [InlineData("2030-03-09", false)] // uncovered year: plain weekend rule
    [InlineData("2030-03-11", true)]
    public void Working_days_follow_weekends_holidays_and_make_up_days(string date, bool working) =>
        Assert.Equal(working, Calendar.IsWorkingDay(Day(date)));

    [Fact]
    public void Shanghai_day_starts_eight_hours_before_utc()
    {
        Assert.Equal(Day("2026-03-10"), WorkingCalendar.ToLocalDate(new DateTimeOffset(2026, 3, 9, 23, 30, 0, TimeSpan.Zero)));
        Assert.Equal(Day("2026-03-09"), WorkingCalendar.ToLocalDate(new DateTimeOffset(2026, 3, 9, 15, 59, 59, TimeSpan.Zero)));
        Assert.Equal(Day("2026-03-09"), WorkingCalendar.ToLocalDate(new DateTimeOffset(2026, 3, 9, 1, 0, 0, Shanghai)));
    }

    [Fact]
    public void Working_day_deadline_skips_the_national_day_week_and_counts_the_make_up_saturday()
    {
        // After Wed 30 Sep: 1–7 Oct off, then Thu 8, Fri 9, Sat 10 (make-up), Mon 12, Tue 13.
        var deadline = Calendar.Deadline(At(2026, 9, 30, 10, 0), Days(5));

        Assert.Equal(At(2026, 10, 14, 0, 0), deadline);
        Assert.Equal(Shanghai, deadline.Offset);
    }

    [Fact]
    public void Start_day_never_counts_whatever_the_hour()
    {
        Assert.Equal(At(2026, 3, 10, 0, 0), Calendar.Deadline(At(2026, 3, 6, 0, 0), Days(1)));
        Assert.Equal(At(2026, 3, 10, 0, 0), Calendar.Deadline(At(2026, 3, 6, 23, 59), Days(1)));
        Assert.Equal(At(2026, 3, 10, 0, 0), Calendar.Deadline(At(2026, 3, 7, 12, 0), Days(1)));
    }

    [Fact]
    public void Zero_working_days_means_by_the_end_of_the_start_day() =>
        Assert.Equal(At(2026, 3, 7, 0, 0), Calendar.Deadline(At(2026, 3, 6, 15, 0), Days(0)));

    [Fact]
    public void Deadline_counts_from_the_shanghai_day_not_the_utc_day()
    {
        // 23:30 UTC on Thursday is Friday 07:30 in Shanghai: one working day later is Monday, not Friday.
        var start = new DateTimeOffset(2026, 3, 5, 23, 30, 0, TimeSpan.Zero);

        Assert.Equal(At(2026, 3, 10, 0, 0), Calendar.Deadline(start, Days(1)));
    }

    [Fact]
    public void Hour_limits_are_plain_elapsed_time_through_holidays() =>
        Assert.Equal(At(2026, 10, 3, 9, 0), Calendar.Deadline(At(2026, 10, 2, 9, 0), new TimeLimit(24, TimeLimitUnit.Hours)));

    [Theory]
    [InlineData(0, true)] // 24:00 of the last day is still that day
    [InlineData(-1, true)]
    [InlineData(1, false)]
    public void On_time_up_to_and_including_the_deadline(int secondsFromDeadline, bool onTime)
    {
        var completed = At(2026, 10, 14, 0, 0).AddSeconds(secondsFromDeadline);

        Assert.Equal(onTime, Calendar.IsOnTime(At(2026, 9, 30, 10, 0), completed, Days(5)));
    }

    [Fact]
    public void Hour_limit_on_time_boundary()
    {
        var limit = new TimeLimit(24, TimeLimitUnit.Hours);
        var accepted = At(2026, 3, 6, 18, 0);

        Assert.True(Calendar.IsOnTime(accepted, accepted.AddHours(24), limit));
        Assert.False(Calendar.IsOnTime(accepted, accepted.AddHours(24).AddTicks(1), limit));
    }

    [Theory]
    [InlineData("2026-09-30", "2026-10-13", 5)]
    [InlineData("2026-10-13", "2026-09-30", -5)]
    [InlineData("2026-03-06", "2026-03-06", 0)]
    [InlineData("2026-03-06", "2026-03-08", 0)]
    [InlineData("2026-02-13", "2026-02-28", 6)] // Sat 14 and Sat 28 are make-up days, 15–23 off, 24–27 working
    public void Working_days_between_excludes_the_start_day(string from, string to, int expected) =>
        Assert.Equal(expected, Calendar.WorkingDaysBetween(Day(from), Day(to)));

    [Fact]
    public void Between_and_add_agree_on_every_start_day_of_2026()
    {
        for (var day = Day("2026-01-01"); day.Year == 2026; day = day.PlusDays(1))
        {
            foreach (var n in new[] { 0, 1, 5, 15 })
                Assert.Equal(n, Calendar.WorkingDaysBetween(day, Calendar.AddWorkingDays(day, n)));
        }
    }

    [Fact]
    public void An_explicit_list_replaces_the_shipped_one()
    {
        var custom = new WorkingCalendar([Day("2030-03-11")], [Day("2030-03-09")]);

        Assert.False(custom.IsWorkingDay(Day("2030-03-11")));
        Assert.True(custom.IsWorkingDay(Day("2030-03-09")));
        Assert.True(custom.IsWorkingDay(Day("2026-10-01"))); // not a holiday in this list
    }

    [Fact]
    public void An_operator_file_is_read_with_ranges_expanded()
    {
        const string json = """
            { "years": [ { "year": 2030, "provisional": true,
              "holidays": [ { "name": "测试", "from": "2030-05-01", "to": "2030-05-03" } ],
              "makeUpWorkdays": [ { "date": "2030-05-04", "for": "测试" } ] } ] }
            """;

        var calendar = WorkingCalendar.Parse(json);

        Assert.Equal([false, false, false, true], Enumerable.Range(1, 4).Select(d => calendar.IsWorkingDay(new LocalDate(2030, 5, d))));
    }

    [Fact]
    public void A_day_cannot_be_both_holiday_and_make_up_day() =>
        Assert.Throws<ArgumentException>(() => new WorkingCalendar([Day("2030-03-09")], [Day("2030-03-09")]));

    [Fact]
    public void A_bad_date_in_a_holiday_file_is_refused()
    {
        const string json = """{ "years": [ { "year": 2030, "holidays": [ { "name": "x", "from": "2030-13-01", "to": "2030-13-02" } ] } ] }""";

        var ex = Assert.Throws<InvalidDataException>(() => WorkingCalendar.Parse(json));
        Assert.Contains("2030-13-01", ex.Message, StringComparison.Ordinal);
    }

    private static LocalDate Day(string iso) => NodaTime.Text.LocalDatePattern.Iso.Parse(iso).Value;

    private static DateTimeOffset At(int year, int month, int day, int hour, int minute) =>
        new(year, month, day, hour, minute, 0, Shanghai);

    private static TimeLimit Days(int n) => new(n, TimeLimitUnit.WorkingDays);
}
