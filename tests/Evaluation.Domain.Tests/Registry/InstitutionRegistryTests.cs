using Evaluation.Contracts.Grains;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Registry;
using Xunit;

namespace Evaluation.Domain.Tests.Registry;

public sealed class InstitutionRegistryTests
{
    private static readonly DivisionCatalog Divisions = DivisionCatalog.Load();

    private static readonly InstitutionRegistry Registry = new(Divisions, ServiceItemCatalog.Load(),
    [
        Make("gz-cc", "广州市知识产权公共服务中心", InstitutionKind.ComprehensiveCentre, "440100", null, "广州市越秀区府前路1号", "PAT-SEARCH", "GEN-HOTLINE"),
        Make("gz-th-cc", "广州市天河区知识产权公共服务中心", InstitutionKind.ComprehensiveCentre, "440100", "440106", "广州市天河区科技路8号", "PAT-CONSULT"),
        Make("gz-th-tw", "广州市商标业务受理窗口", InstitutionKind.TrademarkWindow, "440100", "440106", "广州市天河区体育西路3号", "TM-ACCEPT"),
        Make("sz-ns-io", "南山 TISC Centre", InstitutionKind.InfoOutlet, "440300", "440305", "深圳市南山区科技园", "PAT-SEARCH"),
        Make("sg-cc", "韶关市知识产权公共服务中心", InstitutionKind.ComprehensiveCentre, "440200", null, "韶关市浈江区天河路2号", "PAT-SEARCH"),
    ]);

    [Fact]
    public void Find_by_id_and_item_by_code()
    {
        Assert.Equal("韶关市知识产权公共服务中心", Registry.Find("sg-cc")?.Name);
        Assert.Null(Registry.Find("nope"));
        Assert.Equal(IpDomain.Trademark, Registry.FindItem("TM-ACCEPT")?.Domain);
        Assert.Equal(["PAT-SEARCH", "GEN-HOTLINE"], Registry.ServicesOf(Registry.Find("gz-cc")!).Select(i => i.Code));
    }

    [Fact]
    public void Institutions_of_a_city_include_its_counties()
    {
        Assert.Equal(["gz-cc", "gz-th-cc", "gz-th-tw"], Registry.InstitutionsOf("440100").Select(i => i.Id));
        Assert.Empty(Registry.InstitutionsOf("441900"));
    }

    [Fact]
    public void No_filter_lists_everything_by_id()
    {
        var page = Registry.Search(new InstitutionQuery());

        Assert.Equal(5, page.Total);
        Assert.Equal(["gz-cc", "gz-th-cc", "gz-th-tw", "sg-cc", "sz-ns-io"], page.Items.Select(i => i.Id));
        Assert.Equal((1, 20), (page.Page, page.PageSize));
    }

    [Theory]
    [InlineData("440100", null, null, null, null, "gz-cc,gz-th-cc,gz-th-tw")]
    [InlineData(null, "440106", null, null, null, "gz-th-cc,gz-th-tw")]
    [InlineData(null, null, InstitutionKind.ComprehensiveCentre, null, null, "gz-cc,gz-th-cc,sg-cc")]
    [InlineData(null, null, null, "PAT-SEARCH", null, "gz-cc,sg-cc,sz-ns-io")]
    [InlineData("440100", null, InstitutionKind.ComprehensiveCentre, "PAT-SEARCH", null, "gz-cc")]
    [InlineData(null, null, null, null, "天河", "gz-th-cc,gz-th-tw,sg-cc")]
    [InlineData(null, null, null, null, " tisc ", "sz-ns-io")]
    [InlineData(null, null, null, null, "科技", "gz-th-cc,sz-ns-io")]
    [InlineData("440300", null, InstitutionKind.TrademarkWindow, null, null, "")]
    public void Filters_combine(string? city, string? county, InstitutionKind? kind, string? service, string? text, string expected)
    {
        var page = Registry.Search(new InstitutionQuery(city, county, kind, service, text));

        var ids = string.Join(",", page.Items.Select(i => i.Id));
        Assert.Equal(expected, ids);
        Assert.Equal(page.Items.Count, page.Total);
    }

    [Theory]
    [InlineData(1, 2, "gz-cc,gz-th-cc", 1, 2)]
    [InlineData(3, 2, "sz-ns-io", 3, 2)]
    [InlineData(4, 2, "", 4, 2)]
    [InlineData(0, 2, "gz-cc,gz-th-cc", 1, 2)]
    [InlineData(1, 0, "gz-cc", 1, 1)]
    [InlineData(int.MaxValue, 100, "", int.MaxValue, 100)]
    public void Paging_is_one_based_and_clamped(int page, int pageSize, string expected, int actualPage, int actualSize)
    {
        var result = Registry.Search(new InstitutionQuery(Page: page, PageSize: pageSize));

        Assert.Equal(expected, string.Join(",", result.Items.Select(i => i.Id)));
        Assert.Equal((5, actualPage, actualSize), (result.Total, result.Page, result.PageSize));
    }

    [Fact]
    public void Page_size_is_capped_at_one_hundred()
    {
        var sample = InstitutionRegistry.LoadSample();

        var page = sample.Search(new InstitutionQuery(PageSize: 1000));

        Assert.Equal(InstitutionQuery.MaxPageSize, page.PageSize);
        Assert.Equal(100, page.Items.Count);
        Assert.Equal(sample.Institutions.Count, page.Total);
    }

    [Fact]
    public void Peer_group_is_kind_within_the_region_of_the_city()
    {
        Assert.Equal(new PeerGroup(InstitutionKind.ComprehensiveCentre, Region.North), Registry.PeerGroupOf(Registry.Find("sg-cc")!));
        Assert.Equal(new PeerGroup(InstitutionKind.InfoOutlet, Region.PearlRiverDelta), Registry.PeerGroupOf(Registry.Find("sz-ns-io")!));
        Assert.Equal("info-outlet/pearl-river-delta", Registry.PeerGroupOf(Registry.Find("sz-ns-io")!).ToString());
    }

    private static Institution Make(
        string id, string name, InstitutionKind kind, string city, string? county, string address, params string[] services) =>
        new(id, name, kind, null, null, city, county, address, "020-8000 0000", new DateOnly(2022, 1, 1), "active",
            [Channel.Window], services, true);
}
