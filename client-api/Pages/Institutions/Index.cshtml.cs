using Evaluation.ClientApi.Apis;
using Evaluation.ClientApi.Application;
using Evaluation.Contracts.Grains;
using Evaluation.Contracts.Registry;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;

namespace Evaluation.ClientApi.Pages.Institutions;

/// <summary>Search and filter the institutions, a page at a time, with the same query as the JSON API.</summary>
[OutputCache(PolicyName = PublicCaching.InstitutionPolicy)]
public sealed class IndexModel(PublicQueries queries) : PageModel
{
    public const int PageSize = 20;

    [BindProperty(SupportsGet = true)]
    public string? City { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? County { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Kind { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Service { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    /// <summary>From the query's <c>page</c>, read by hand: Razor Pages keeps the route value "page" for itself.</summary>
    public int PageNumber { get; private set; } = 1;

    public PageDto<InstitutionSummaryDto> Results { get; private set; } = null!;

    public IReadOnlyList<Division> Divisions { get; private set; } = [];

    public IReadOnlyList<ServiceItemDto> ServiceItems { get; private set; } = [];

    public string? Problem { get; private set; }

    public int PageCount => Math.Max(1, (Results.Total + PageSize - 1) / PageSize);

    public async Task OnGetAsync()
    {
        City = Blank(City);
        County = Blank(County);
        Kind = Blank(Kind);
        Service = Blank(Service);
        Q = Blank(Q);
        InstitutionKind? kind = null;
        if (Kind is not null)
        {
            if (ContractWords.TryParse<InstitutionKind>(Kind, out var parsed))
            {
                kind = parsed;
            }
            else
            {
                Problem = "未知的机构类型，已忽略。Unknown kind, ignored.";
                Kind = null;
            }
        }

        PageNumber = int.TryParse(Request.Query["page"], out var number) && number > 1 ? number : 1;
        Divisions = await queries.Divisions();
        ServiceItems = await queries.ServiceItems();
        Results = await queries.Search(new InstitutionQuery(City, County, kind, Service, Q, PageNumber, PageSize));
    }

    public string DivisionName(string? code) => Divisions.FirstOrDefault(d => d.Code == code)?.Name ?? "";

    /// <summary>The link to another page of the same search.</summary>
    public string PageLink(int page) => "/institutions" + QueryString.Create(new Dictionary<string, string?>
    {
        ["city"] = City,
        ["county"] = County,
        ["kind"] = Kind,
        ["service"] = Service,
        ["q"] = Q,
        ["page"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture),
    }.Where(p => p.Value is not null)).ToUriComponent();

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
