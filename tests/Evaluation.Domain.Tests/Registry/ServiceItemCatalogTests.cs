using Evaluation.Contracts.Registry;
using Evaluation.Domain.Registry;
using Xunit;

namespace Evaluation.Domain.Tests.Registry;

public sealed class ServiceItemCatalogTests
{
    private static readonly ServiceItemCatalog Items = ServiceItemCatalog.Load();

    [Fact]
    public void Shipped_list_covers_every_domain_with_unique_codes_and_positive_limits()
    {
        Assert.InRange(Items.Items.Count, 20, 30);
        Assert.Equal(Enum.GetValues<IpDomain>().Order(), Items.Items.Select(i => i.Domain).Distinct().Order());
        Assert.Equal(Items.Items.Count, Items.Items.Select(i => i.Code).Distinct().Count());
        Assert.All(Items.Items, i => Assert.True(i.TimeLimit.Value > 0, i.Code));
    }

    [Fact]
    public void Find_reads_code_names_domain_and_time_limit()
    {
        var item = Items.Find("GEN-HOTLINE");

        Assert.NotNull(item);
        Assert.Equal("知识产权热线咨询", item.Name);
        Assert.Equal(IpDomain.General, item.Domain);
        Assert.Equal(new TimeLimit(24, TimeLimitUnit.Hours), item.TimeLimit);
        Assert.Equal(new TimeLimit(5, TimeLimitUnit.WorkingDays), Items.Find("PAT-SEARCH")?.TimeLimit);
        Assert.Null(Items.Find("PAT-NOPE"));
    }

    [Fact]
    public void An_item_with_an_unknown_domain_is_refused_with_its_index()
    {
        const string json = """
            { "items": [ { "code": "X-1", "name": "甲", "nameEn": "A", "domain": "copyright", "workflow": "…",
                           "timeLimit": { "value": 1, "unit": "working-days" } } ] }
            """;

        var ex = Assert.Throws<InvalidDataException>(() => ServiceItemCatalog.Parse(json));
        Assert.Contains("items[0].domain", ex.Message, StringComparison.Ordinal);
    }
}
