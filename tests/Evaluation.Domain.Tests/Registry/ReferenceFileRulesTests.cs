using Evaluation.Contracts.Registry;
using Evaluation.Domain.Calendar;
using Evaluation.Domain.Registry;
using NodaTime;
using Xunit;

namespace Evaluation.Domain.Tests.Registry;

/// <summary>The rules of the reference files an operator imports: every broken rule named by field, and no value then.</summary>
public sealed class ReferenceFileRulesTests
{
    private static readonly DivisionCatalog Divisions = DivisionCatalog.Load();

    private const string Item = """{ "code": "PAT-X", "name": "甲", "nameEn": "A", "domain": "patent", "workflow": "…", "timeLimit": { "value": 5, "unit": "working-days" } }""";
    private const string HourItem = """{ "code": "GEN-H", "name": "乙", "nameEn": "B", "domain": "general", "workflow": "…", "timeLimit": { "value": 24, "unit": "hours" } }""";

    [Fact]
    public void A_city_may_add_items_and_tighten_limits_for_its_own_institutions_only()
    {
        var catalog = ReadItems($$"""
            { "items": [ {{Item}}, {{HourItem}} ],
              "cities": [ { "cityCode": "440100",
                            "items": [ { "code": "GZ-ONLY", "name": "丙", "nameEn": "C", "domain": "general", "workflow": "…", "timeLimit": { "value": 2, "unit": "working-days" } } ],
                            "timeLimits": [ { "code": "PAT-X", "timeLimit": { "value": 3, "unit": "working-days" } } ] } ] }
            """).Value!;

        Assert.Equal(new TimeLimit(3, TimeLimitUnit.WorkingDays), catalog.Find("PAT-X", "440100")!.TimeLimit);
        Assert.Equal(new TimeLimit(5, TimeLimitUnit.WorkingDays), catalog.Find("PAT-X", "440300")!.TimeLimit);
        Assert.Equal(new TimeLimit(5, TimeLimitUnit.WorkingDays), catalog.Find("PAT-X")!.TimeLimit);
        Assert.True(catalog.Contains("GZ-ONLY", "440100"));
        Assert.False(catalog.Contains("GZ-ONLY", "440300"));
        Assert.False(catalog.Contains("GZ-ONLY"));
    }

    [Theory]
    [InlineData("""{ "code": "PAT-X", "timeLimit": { "value": 6, "unit": "working-days" } }""", "cities[0].timeLimits[0].timeLimit.value")]
    [InlineData("""{ "code": "PAT-X", "timeLimit": { "value": 20, "unit": "hours" } }""", "cities[0].timeLimits[0].timeLimit.unit")]
    [InlineData("""{ "code": "PAT-NONE", "timeLimit": { "value": 1, "unit": "working-days" } }""", "cities[0].timeLimits[0].code")]
    [InlineData("""{ "code": "PAT-X", "timeLimit": { "value": -1, "unit": "working-days" } }""", "cities[0].timeLimits[0].timeLimit.value")]
    public void A_city_limit_that_does_not_tighten_a_province_item_is_refused(string limit, string field) =>
        AssertRefused(ReadItems($$"""{ "items": [ {{Item}} ], "cities": [ { "cityCode": "440100", "timeLimits": [ {{limit}} ] } ] }"""), field);

    [Theory]
    [InlineData("""{ "items": [ ITEM, ITEM ] }""", "items[1].code")]
    [InlineData("""{ "items": [ ] }""", "items")]
    [InlineData("""{ "items": [ ITEM ], "cities": [ { "cityCode": "440106" } ] }""", "cities[0].cityCode")]
    [InlineData("""{ "items": [ ITEM ], "cities": [ { "cityCode": "440100" }, { "cityCode": "440100" } ] }""", "cities[1].cityCode")]
    [InlineData("""{ "items": [ ITEM ], "cities": [ { "cityCode": "440100", "items": [ ITEM ] } ] }""", "cities[0].items[0].code")]
    [InlineData("""{ "items": [ { "code": "A", "name": "甲", "nameEn": "A", "domain": "patent", "workflow": "…", "timeLimit": { "value": 400, "unit": "working-days" } } ] }""", "items[0].timeLimit.value")]
    [InlineData("""{ "items": [ { "code": "A", "name": "", "nameEn": "A", "domain": "patent", "workflow": "…", "timeLimit": { "value": 4, "unit": "working-days" } } ] }""", "items[0].name")]
    [InlineData("""{ "items": [ { "code": "A", "name": "甲", "nameEn": "A", "domain": "patent", "workflow": "…", "timeLimit": { "value": 4, "unit": "weeks" } } ] }""", "items[0].timeLimit.unit")]
    [InlineData("""{ "items": [ { "code": "A", "name": "甲", "nameEn": "A", "domain": "patent", "workflow": "…", "timeLimitHours": 4 } ] }""", "items[0].timeLimitHours")]
    public void A_service_item_file_breaking_a_rule_is_refused_by_field(string json, string field) =>
        AssertRefused(ReadItems(json.Replace("ITEM", Item, StringComparison.Ordinal)), field);

    [Fact]
    public void A_back_year_can_be_imported_for_backfilled_ratings()
    {
        var calendar = WorkingCalendar.Read("""
            { "years": [ { "year": 2019, "holidays": [ { "name": "国庆节", "from": "2019-10-01", "to": "2019-10-07" } ],
                           "makeUpWorkdays": [ { "date": "2019-09-29" }, { "date": "2019-10-12" } ] } ] }
            """).Value!;

        Assert.False(calendar.IsWorkingDay(new LocalDate(2019, 10, 7)));
        Assert.True(calendar.IsWorkingDay(new LocalDate(2019, 10, 12)));
        Assert.Equal(new LocalDate(2019, 10, 8), calendar.AddWorkingDays(new LocalDate(2019, 9, 30), 1));
    }

    [Theory]
    [InlineData("""{ "years": [ { "year": 1999 } ] }""", "years[0].year")]
    [InlineData("""{ "years": [ { "year": 2030 }, { "year": 2030 } ] }""", "years[1].year")]
    [InlineData("""{ "years": [ ] }""", "years")]
    [InlineData("""{ "years": [ { "year": 2030, "holidays": [ { "from": "2030-05-03", "to": "2030-05-01" } ] } ] }""", "years[0].holidays[0].to")]
    [InlineData("""{ "years": [ { "year": 2030, "holidays": [ { "from": "2030-05-01", "to": "2030-07-01" } ] } ] }""", "years[0].holidays[0].to")]
    [InlineData("""{ "years": [ { "year": 2030, "holidays": [ { "from": "2031-05-01", "to": "2031-05-02" } ] } ] }""", "years[0].holidays[0].from")]
    [InlineData("""{ "years": [ { "year": 2030, "holidays": [ { "from": "2030-13-01", "to": "2030-05-02" } ] } ] }""", "years[0].holidays[0].from")]
    [InlineData("""{ "years": [ { "year": 2030, "makeUpWorkdays": [ { "date": "2030-05-06" } ] } ] }""", "years[0].makeUpWorkdays[0].date")]
    [InlineData("""{ "years": [ { "year": 2030, "makeUpWorkdays": [ { "date": "2030-05-04" }, { "date": "2030-05-04" } ] } ] }""", "years[0].makeUpWorkdays[1].date")]
    [InlineData("""{ "years": [ { "year": 2030, "holidays": [ { "from": "2030-05-01", "to": "2030-05-05" } ], "makeUpWorkdays": [ { "date": "2030-05-04" } ] } ] }""", "years[0].makeUpWorkdays[0].date")]
    [InlineData("""{ "years": [ { "year": 2030, "holiday": [ ] } ] }""", "years[0].holiday")]
    public void A_holiday_file_breaking_a_rule_is_refused_by_field(string json, string field) =>
        AssertRefused(WorkingCalendar.Read(json), field);

    [Theory]
    [InlineData("""{ "counties": [ { "code": "440100" } ] }""", "counties[0].code")]
    [InlineData("""{ "counties": [ { "code": "440106" }, { "code": "440106" } ] }""", "counties[1].code")]
    [InlineData("""{ "counties": [ { "name": "天河区" } ] }""", "counties[0].code")]
    [InlineData("""{ }""", "counties")]
    [InlineData("""[ 1 ]""", "$")]
    public void A_pilot_county_file_breaking_a_rule_is_refused_by_field(string json, string field) =>
        AssertRefused(PilotCounties.Read(json, Divisions), field);

    [Fact]
    public void A_pilot_county_file_lists_county_codes()
    {
        var read = PilotCounties.Read("""{ "counties": [ { "code": "440106", "name": "天河区" }, { "code": "440305" } ] }""", Divisions);

        Assert.Equal(["440106", "440305"], read.Value!);
    }

    private static Domain.Data.DataFileResult<ServiceItemCatalog> ReadItems(string json) => ServiceItemCatalog.Read(json, Divisions);

    private static void AssertRefused<T>(Domain.Data.DataFileResult<T> result, string field)
        where T : class
    {
        Assert.Null(result.Value);
        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.Field == field && e.Message.Length > 5);
    }
}
