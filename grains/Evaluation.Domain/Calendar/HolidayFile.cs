using System.Globalization;
using Evaluation.Contracts.Ingestion;
using Evaluation.Domain.Data;
using NodaTime;
using NodaTime.Text;

namespace Evaluation.Domain.Calendar;

/// <summary>
/// The rules of a holiday file (<c>holidays.json</c>): one entry per year, any year from 2000 (back years
/// serve backfilled ratings), each with holiday ranges and the weekend days declared make-up workdays.
/// </summary>
internal static class HolidayFile
{
    public const int FirstYear = 2000;
    public const int LastYear = 2100;
    private const int MaxRangeDays = 31;

    public static DataFileResult<WorkingCalendar> Read(string json)
    {
        var errors = new List<FieldError>();
        var file = DataFile.Read<FileEntry>(json, "holiday file", errors);
        if (file is null)
            return new(null, errors);
        if (file.Years is not { Count: > 0 } years)
        {
            errors.Add(new FieldError("years", "required: at least one year"));
            return new(null, errors);
        }

        var holidays = new Dictionary<LocalDate, string>();
        var makeUps = new Dictionary<LocalDate, string>();
        for (var y = 0; y < years.Count; y++)
        {
            var at = $"years[{y}]";
            if (years[y] is not { } year)
            {
                errors.Add(new FieldError(at, "must be a year object"));
                continue;
            }
            if (year.Year is not (>= FirstYear and <= LastYear))
            {
                errors.Add(new FieldError($"{at}.year", $"must be a year from {FirstYear} to {LastYear}"));
                continue;
            }
            ReadHolidays(year, at, holidays, errors);
            ReadMakeUps(year, at, makeUps, errors);
        }
        DataFile.CheckUnique(years.Select((y, i) => (y?.Year is { } n ? n.ToString(CultureInfo.InvariantCulture) : null, $"years[{i}].year")), "year", errors);
        foreach (var day in makeUps.Keys.Where(holidays.ContainsKey).Order())
            errors.Add(new FieldError(makeUps[day], $"{day:uuuu-MM-dd} is also a holiday ({holidays[day]})"));
        return errors.Count > 0 ? new(null, errors) : new(new WorkingCalendar(holidays.Keys, makeUps.Keys), []);
    }

    private static void ReadHolidays(YearEntry year, string at, Dictionary<LocalDate, string> holidays, List<FieldError> errors)
    {
        var ranges = year.Holidays ?? [];
        for (var h = 0; h < ranges.Count; h++)
        {
            var field = $"{at}.holidays[{h}]";
            var from = Date(ranges[h]?.From, $"{field}.from", errors);
            var to = Date(ranges[h]?.To, $"{field}.to", errors);
            if (from is not { } first || to is not { } last)
                continue;
            if (last < first || Period.Between(first, last, PeriodUnits.Days).Days >= MaxRangeDays)
                errors.Add(new FieldError($"{field}.to", $"must be on or after from and less than {MaxRangeDays} days later"));
            // A range may begin in the year before (元旦 from 30 December), never lie outside its year altogether.
            else if (first.Year != year.Year && last.Year != year.Year)
                errors.Add(new FieldError($"{field}.from", $"the range does not touch the year {year.Year}"));
            else
            {
                foreach (var day in WorkingCalendar.Days(first, last))
                    holidays.TryAdd(day, field);
            }
        }
    }

    private static void ReadMakeUps(YearEntry year, string at, Dictionary<LocalDate, string> makeUps, List<FieldError> errors)
    {
        var days = year.MakeUpWorkdays ?? [];
        for (var m = 0; m < days.Count; m++)
        {
            var field = $"{at}.makeUpWorkdays[{m}].date";
            if (Date(days[m]?.Date, field, errors) is not { } day)
                continue;
            if (Math.Abs(day.Year - year.Year!.Value) > 1)
                errors.Add(new FieldError(field, $"{day:uuuu-MM-dd} is not near the year {year.Year}"));
            else if (day.DayOfWeek is not (IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday))
                errors.Add(new FieldError(field, $"{day:uuuu-MM-dd} is a {day.DayOfWeek}; a make-up workday (调休上班) is a Saturday or Sunday"));
            else if (!makeUps.TryAdd(day, field))
                errors.Add(new FieldError(field, $"{day:uuuu-MM-dd} is listed twice (first at {makeUps[day]})"));
        }
    }

    private static LocalDate? Date(string? text, string field, List<FieldError> errors)
    {
        if (text is not null && LocalDatePattern.Iso.Parse(text) is { Success: true } parsed)
            return parsed.Value;
        errors.Add(new FieldError(field, $"'{text}' is not a date like 2026-10-01"));
        return null;
    }

    private sealed record FileEntry(string? Notice, IReadOnlyList<YearEntry?>? Years);

    private sealed record YearEntry(int? Year, bool Provisional, string? Source, IReadOnlyList<HolidayRange?>? Holidays, IReadOnlyList<MakeUpDay?>? MakeUpWorkdays);

    private sealed record HolidayRange(string? Name, string? NameEn, string? From, string? To);

    private sealed record MakeUpDay(string? Date, string? For);
}
