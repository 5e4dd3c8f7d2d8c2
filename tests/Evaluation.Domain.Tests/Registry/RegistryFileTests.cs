using System.Text.Json.Nodes;
using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Registry;
using Xunit;

namespace Evaluation.Domain.Tests.Registry;

public sealed class RegistryFileTests
{
    private static readonly DivisionCatalog Divisions = DivisionCatalog.Load();
    private static readonly ServiceItemCatalog Items = ServiceItemCatalog.Load();

    [Fact]
    public void A_valid_file_gives_its_institutions_with_every_field_read()
    {
        var result = Parse(File(Entry()));

        Assert.True(result.IsValid);
        var institution = Assert.Single(result.Institutions);
        Assert.Equal("gd-440100-cc-009", institution.Id);
        Assert.Equal(InstitutionKind.ComprehensiveCentre, institution.Kind);
        Assert.Equal("440106", institution.DivisionCode);
        Assert.Equal(new DateOnly(2021, 6, 30), institution.OpenedOn);
        Assert.Equal([Channel.Window, Channel.Online], institution.Channels);
        Assert.Equal(["PAT-SEARCH", "TM-CONSULT"], institution.Services);
        Assert.False(institution.IsSample);
    }

    [Theory]
    [InlineData("cityCode", "\"449900\"", "cityCode", "unknown city code 449900")]
    [InlineData("cityCode", "\"440103\"", "cityCode", "440103 (荔湾区) is not a prefecture city")]
    [InlineData("countyCode", "\"440199\"", "countyCode", "unknown county code 440199")]
    [InlineData("countyCode", "\"440303\"", "countyCode", "county 440303 (罗湖区) is not in city 440100 (广州市)")]
    [InlineData("services", "[\"PAT-SEARCH\", \"PAT-NOPE\"]", "services[1]", "unknown service item code 'PAT-NOPE'")]
    [InlineData("services", "[\"PAT-SEARCH\", \"PAT-SEARCH\"]", "services[1]", "'PAT-SEARCH' is listed twice")]
    [InlineData("services", "[]", "services", "must list at least one")]
    [InlineData("channels", "[\"fax\"]", "channels[0]", "unknown channel 'fax'; expected one of window, online, hotline")]
    [InlineData("channels", "[\"window\", \"Window\"]", "channels[1]", "unknown channel 'Window'")]
    [InlineData("channels", "null", "channels", "must list at least one")]
    [InlineData("name", "\"  \"", "name", "required")]
    [InlineData("address", "null", "address", "required")]
    [InlineData("openedOn", "\"2021-02-30\"", "openedOn", "'2021-02-30' is not a date like 2021-06-30")]
    [InlineData("openedOn", "\"30/06/2021\"", "openedOn", "is not a date")]
    [InlineData("kind", "\"office\"", "kind", "unknown kind 'office'")]
    [InlineData("status", "\"open\"", "status", "unknown status 'open'")]
    [InlineData("phone", "\"call us\"", "phone", "is not a phone number")]
    [InlineData("id", "\"GD 440100\"", "id", "may use only lower-case letters")]
    [InlineData("category", "\"library\"", "category", "only info outlets have a category")]
    public void Each_rule_reports_its_field_path(string field, string value, string errorField, string message)
    {
        var entry = Entry();
        entry[field] = JsonNode.Parse(value);

        var result = Parse(File(Entry("gd-440100-cc-001"), entry));

        Assert.False(result.IsValid);
        Assert.Empty(result.Institutions);
        var error = Assert.Single(result.Errors);
        Assert.Equal($"institutions[1].{errorField}", error.Field);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Info_outlets_need_a_known_category_and_rank()
    {
        var outlet = Entry("gd-440100-io-001");
        outlet["kind"] = "info-outlet";
        outlet["category"] = "museum";

        var errors = Parse(File(outlet)).Errors;

        Assert.Equal(
            [
                new FieldError("institutions[0].category", "unknown category 'museum'; expected one of university, research-institute, library, tisc, park, industry-body, other"),
                new FieldError("institutions[0].rank", "required"),
            ],
            errors);
    }

    [Fact]
    public void A_duplicate_id_names_where_it_was_first_used()
    {
        var errors = Parse(File(Entry("a-1"), Entry("b-2"), Entry("a-1"))).Errors;

        var error = Assert.Single(errors);
        Assert.Equal("institutions[2].id", error.Field);
        Assert.Equal("duplicate id 'a-1', already used by institutions[0]", error.Message);
    }

    [Fact]
    public void Every_problem_of_every_institution_is_reported_at_once()
    {
        var first = Entry("a-1");
        first["cityCode"] = "449900";
        first["countyCode"] = null;
        var second = Entry("b-2");
        second["name"] = "";
        second["channels"] = new JsonArray("window", "fax");

        var fields = Parse(File(first, second)).Errors.Select(e => e.Field);

        Assert.Equal(["institutions[0].cityCode", "institutions[1].name", "institutions[1].channels[1]"], fields);
    }

    [Theory]
    [InlineData("{ \"institutions\": [ { \"id\": 1 ", "")]
    [InlineData("{ \"institutions\": [ { \"channels\": \"window\" } ] }", "institutions[0].channels")]
    [InlineData("{ \"institutions\": [ { \"cityCod\": \"440100\" } ] }", "institutions[0]")]
    public void Malformed_json_is_one_error_at_the_place_it_broke(string json, string fieldStart)
    {
        var error = Assert.Single(Parse(json).Errors);

        Assert.StartsWith(fieldStart, error.Field, StringComparison.Ordinal);
        Assert.StartsWith("not a valid institutions file", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ \"sample\": true }", "required: the list of institutions")]
    [InlineData("{ \"institutions\": [] }", "must list at least one institution")]
    public void A_file_without_institutions_is_refused(string json, string message) =>
        Assert.Equal(new FieldError("institutions", message), Assert.Single(Parse(json).Errors));

    [Fact]
    public void Records_are_checked_by_the_same_rules_and_undefined_enums_are_reported()
    {
        var good = Assert.Single(Parse(File(Entry())).Institutions);
        var bad = good with { Id = "gd-2", Channels = [Channel.Window, (Channel)7], CountyCode = "440303" };

        var errors = RegistryFile.Validate([good, bad], Divisions, Items);

        Assert.Equal(["institutions[1].countyCode", "institutions[1].channels[1]"], errors.Select(e => e.Field));
    }

    [Fact]
    public void Written_file_reads_back_to_the_same_institutions()
    {
        var original = InstitutionRegistry.LoadSample().Institutions;

        var text = RegistryFile.Write(original, "notice");
        var reread = Parse(text);

        Assert.True(reread.IsValid);
        Assert.Equal(text, RegistryFile.Write(reread.Institutions, "notice"));
        Assert.Contains("\"sample\": true", text, StringComparison.Ordinal);
        Assert.Contains("广州市知识产权公共服务中心", text, StringComparison.Ordinal);
    }

    private static RegistryFileResult Parse(string json) => RegistryFile.Parse(json, Divisions, Items);

    private static string File(params JsonObject[] institutions) =>
        new JsonObject { ["institutions"] = new JsonArray([.. institutions]) }.ToJsonString();

    private static JsonObject Entry(string id = "gd-440100-cc-009") => new()
    {
        ["id"] = id,
        ["name"] = "广州市天河区知识产权公共服务中心",
        ["kind"] = "comprehensive-centre",
        ["cityCode"] = "440100",
        ["countyCode"] = "440106",
        ["address"] = "广州市天河区科技路1号",
        ["phone"] = "020-8000 0001",
        ["openedOn"] = "2021-06-30",
        ["status"] = "active",
        ["channels"] = new JsonArray("window", "online"),
        ["services"] = new JsonArray("PAT-SEARCH", "TM-CONSULT"),
        ["isSample"] = false,
    };
}
