using Evaluation.Contracts.Registry;
using Evaluation.Domain.Registry;
using Xunit;

namespace Evaluation.Domain.Tests.Registry;

/// <summary>The shipped sample must be usable as a stand-in for a real registry: complete, consistent, marked.</summary>
public sealed class SampleRegistryTests
{
    private static readonly InstitutionRegistry Sample = InstitutionRegistry.LoadSample();

    [Fact]
    public void Every_city_has_institutions_and_a_comprehensive_centre()
    {
        Assert.All(Sample.Divisions.Cities, city =>
        {
            Assert.NotEmpty(Sample.InstitutionsOf(city.Code));
            Assert.Contains(Sample.InstitutionsOf(city.Code), i => i.Kind == InstitutionKind.ComprehensiveCentre && i.CountyCode is null);
        });
    }

    [Fact]
    public void Every_kind_is_present_in_a_realistic_total()
    {
        Assert.Equal(Enum.GetValues<InstitutionKind>(), Sample.Institutions.Select(i => i.Kind).Distinct().Order());
        Assert.InRange(Sample.Institutions.Count, 250, 350);
    }

    [Fact]
    public void Ids_are_unique_and_every_service_code_is_in_the_item_list()
    {
        Assert.Equal(Sample.Institutions.Count, Sample.Institutions.Select(i => i.Id).Distinct().Count());
        Assert.All(Sample.Institutions.SelectMany(i => i.Services), code => Assert.NotNull(Sample.FindItem(code)));
    }

    [Fact]
    public void Everything_is_marked_as_sample_data()
    {
        Assert.All(Sample.Institutions, i => Assert.True(i.IsSample, i.Id));
        Assert.Equal([], RegistryFile.Validate(Sample.Institutions, Sample.Divisions, Sample.ServiceItems));
    }

    [Fact]
    public void Sample_lets_the_plan_targets_be_tracked_both_ways()
    {
        var countyCentres = Sample.Institutions
            .Where(i => i.Kind == InstitutionKind.ComprehensiveCentre && i.CountyCode is not null)
            .Select(i => i.CountyCode!)
            .ToHashSet();
        var outlets = Sample.Institutions.Count(i => i.Kind == InstitutionKind.InfoOutlet && RegistryFile.OutletRanks.Contains(i.Rank));
        var trademarkCities = Sample.Institutions
            .Where(i => i.Kind is InstitutionKind.TrademarkWindow or InstitutionKind.TrademarkWorkstation)
            .Select(i => i.CityCode)
            .Distinct()
            .Count();

        Assert.InRange(countyCentres.Count / (double)Sample.Divisions.Counties.Count, 0.35, 0.45);
        Assert.True(Sample.Divisions.CountiesOf("440100").Count(c => countyCentres.Contains(c.Code)) > 5);
        Assert.True(outlets >= 50, $"{outlets} outlets");
        Assert.InRange(trademarkCities, 15, 20);
        Assert.InRange(Sample.PilotCountyCodes.Count, 8, 12);
        Assert.Superset(Sample.PilotCountyCodes.ToHashSet(), countyCentres);
    }

    [Fact]
    public void The_provincial_centre_sits_in_guangzhou_and_offers_every_item_but_trademark_filings()
    {
        var centre = Sample.Find("gd-440000-cc-001");

        Assert.NotNull(centre);
        Assert.Equal(("440100", null), (centre.CityCode, centre.CountyCode));
        Assert.Superset(
            Sample.ServiceItems.Items.Where(i => i.Domain != IpDomain.Trademark).Select(i => i.Code).ToHashSet(),
            centre.Services.ToHashSet());
        Assert.DoesNotContain("TM-ACCEPT", centre.Services);
    }
}
