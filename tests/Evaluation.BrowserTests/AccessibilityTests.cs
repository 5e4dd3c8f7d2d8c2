using Evaluation.BrowserTests.Infrastructure;
using Evaluation.Contracts.Registry;
using Evaluation.Grains.Registry;
using Xunit;

namespace Evaluation.BrowserTests;

/// <summary>Every portal page passes axe-core's WCAG 2 A and AA rules (labels, contrast, structure, names).</summary>
[Collection(PortalCollection.Name)]
public sealed class AccessibilityTests(Portal portal)
{
    public static TheoryData<string> Pages()
    {
        var institution = ShippedRegistry.Sample.Institutions.First(i => i.Kind == InstitutionKind.InfoOutlet);
        return ["/", $"/cities/{institution.CityCode}", $"/cities/{institution.CityCode}/rectification", $"/counties/{ShippedRegistry.Sample.Institutions.First(i => i.CountyCode is not null).CountyCode}", $"/institutions/{institution.Id}", "/institutions?kind=info-outlet", "/console/login"];
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task The_page_has_no_wcag_violations(string path)
    {
        await Wcag.AssertNoViolationsAsync(await portal.OpenAsync(path));
    }
}
