using Evaluation.Contracts.Registry;
using Evaluation.Domain.Registry;
using Xunit;

namespace Evaluation.Domain.Tests.Registry;

public sealed class DivisionCatalogTests
{
    private static readonly DivisionCatalog Divisions = DivisionCatalog.Load();

    [Fact]
    public void Shipped_catalog_has_the_province_21_cities_and_122_counties()
    {
        Assert.Equal("440000", Divisions.Province.Code);
        Assert.Equal(21, Divisions.Cities.Count);
        Assert.Equal(122, Divisions.Counties.Count);
    }

    [Fact]
    public void Find_returns_the_division_with_its_names_and_level()
    {
        var shaoguan = Divisions.Find("440200");

        Assert.NotNull(shaoguan);
        Assert.Equal("韶关市", shaoguan.Name);
        Assert.Equal("Shaoguan", shaoguan.NameEn);
        Assert.Equal(DivisionLevel.City, shaoguan.Level);
        Assert.Null(Divisions.Find("449900"));
    }

    [Fact]
    public void Counties_of_a_city_are_its_own_and_cities_without_counties_have_none()
    {
        var guangzhou = Divisions.CountiesOf("440100");

        Assert.Equal(11, guangzhou.Count);
        Assert.All(guangzhou, c => Assert.Equal("440100", c.ParentCode));
        Assert.Empty(Divisions.CountiesOf("441900"));
        Assert.Empty(Divisions.CountiesOf("449900"));
    }

    [Theory]
    [InlineData("440305", "440300")]
    [InlineData("440300", "440300")]
    [InlineData("445381", "445300")]
    public void CityOf_a_county_is_its_parent_and_of_a_city_itself(string code, string city) =>
        Assert.Equal(city, Divisions.CityOf(code)?.Code);

    [Theory]
    [InlineData("440000")]
    [InlineData("449900")]
    public void CityOf_the_province_or_an_unknown_code_is_null(string code) => Assert.Null(Divisions.CityOf(code));

    [Theory]
    [InlineData("440106", Region.PearlRiverDelta)]
    [InlineData("440500", Region.East)]
    [InlineData("440823", Region.West)]
    [InlineData("441800", Region.North)]
    public void Region_strings_of_the_file_map_to_the_enum(string code, Region region) =>
        Assert.Equal(region, Divisions.RegionOf(code));

    [Theory]
    [InlineData("440200", "440100")]
    [InlineData("441502", "440300")]
    [InlineData("440900", "440600")]
    public void Mentor_is_the_paired_delta_city(string code, string mentor) =>
        Assert.Equal(mentor, Divisions.MentorOf(code)?.Code);

    [Fact]
    public void Delta_cities_have_no_mentor() => Assert.Null(Divisions.MentorOf("440300"));

    [Fact]
    public void A_county_whose_parent_is_missing_is_refused()
    {
        const string csv = """
            code,name,name_en,level,parent_code,region,mentor_city_code
            440000,广东省,Guangdong,province,,,
            440103,荔湾区,,county,440100,pearl-river-delta,
            """;

        var ex = Assert.Throws<InvalidDataException>(() => DivisionCatalog.Parse(csv));
        Assert.Contains("440103", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_region_names_its_line()
    {
        const string csv = """
            code,name,name_en,level,parent_code,region,mentor_city_code
            440000,广东省,Guangdong,province,,,
            440100,广州市,Guangzhou,city,440000,south,
            """;

        var ex = Assert.Throws<InvalidDataException>(() => DivisionCatalog.Parse(csv));
        Assert.Contains("line 3", ex.Message, StringComparison.Ordinal);
    }
}
