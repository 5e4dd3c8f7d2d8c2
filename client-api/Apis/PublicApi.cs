using Evaluation.ClientApi.Application;
using Evaluation.Contracts.Grains;
using Evaluation.Contracts.Registry;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Evaluation.ClientApi.Apis;

/// <summary>Anonymous reads for the public portal: aggregate scores and the published lists. Never personal data.</summary>
public static class PublicApi
{
    public static void MapPublicApi(this IEndpointRouteBuilder app)
    {
        // Two groups over one prefix, so each answer is cached as long as the freshness goal of what it shows allows.
        var api = app.MapGroup("/api/v1/public").WithTags("Public").CacheOutput(PublicCaching.AreaPolicy);
        var institutions = app.MapGroup("/api/v1/public").WithTags("Public").CacheOutput(PublicCaching.InstitutionPolicy);
        api.MapGet("/province", GetProvince).WithSummary("The province's scores, service measures, city rankings and plan targets.");
        api.MapGet("/cities", GetCities).WithSummary("Every prefecture city with its scores and rank.");
        api.MapGet("/cities/{code}", GetCity).WithSummary("One city with its scores and its institutions ranked within peer groups.");
        api.MapGet("/counties/{code}", GetCounty).WithSummary("One county-level division: the sum of the institutions registered in it (scores, service, handling).");
        api.MapGet("/regions/{region}", GetRegion)
            .WithSummary("One of the plan's regions (pearl-river-delta, east, west, north): the sum of its cities, and their ranks.");
        institutions.MapGet("/institutions", SearchInstitutions).WithSummary("Institutions, filtered by city, county, kind, service item or text, a page at a time.");
        institutions.MapGet("/institutions/{id}", GetInstitution).WithSummary("One institution: its published (信息公开) fields, service list and scores.");
        api.MapGet("/cities/{code}/rectification", GetCityRectification)
            .WithSummary("The city's 整改公示: 差评 rectified in the last 90 days by service item and tag, median days to rectify, appeals decided.");
        institutions.MapGet("/institutions/{id}/rectification", GetInstitutionRectification)
            .WithSummary("One institution's 整改公示, the same shape as the city's.");
        api.MapGet("/service-items", GetServiceItems).WithSummary("The province's service-item list (事项清单) with time limits.");
        MapBreakdowns(api, institutions);
    }

    private static async Task<Ok<AreaDto>> GetProvince(PublicQueries queries) => TypedResults.Ok(await queries.Province());

    private static async Task<Ok<PageDto<AreaDto>>> GetCities(PublicQueries queries) => TypedResults.Ok(await queries.Cities());

    private static async Task<Ok<AreaDto>> GetCity(string code, PublicQueries queries) =>
        Found(await queries.City(code), AreaScope.City, code);

    private static async Task<Ok<AreaDto>> GetCounty(string code, PublicQueries queries) =>
        Found(await queries.County(code), AreaScope.County, code);

    private static async Task<Ok<AreaDto>> GetRegion(string region, PublicQueries queries) =>
        ContractWords.TryParse<Region>(region, out var parsed)
            ? TypedResults.Ok(await queries.Region(parsed))
            : throw NotFound(AreaScope.Region, region);

    /// <summary>
    /// <c>/service-items</c> and <c>/channels</c> of an institution or of every kind of area: the measures per service
    /// item (with the worst items ranked) and per channel and IP domain, over every window.
    /// </summary>
    private static void MapBreakdowns(RouteGroupBuilder areas, RouteGroupBuilder institutions)
    {
        foreach (var (scope, path) in new[]
        {
            (AreaScope.Institution, "/institutions/{key}"), (AreaScope.City, "/cities/{key}"), (AreaScope.County, "/counties/{key}"),
            (AreaScope.Region, "/regions/{key}"), (AreaScope.Province, "/province"),
        })
        {
            var what = scope == AreaScope.Institution ? "institution" : ContractWords.Word(scope);
            var api = scope == AreaScope.Institution ? institutions : areas;

            api.MapGet($"{path}/service-items", async Task<Ok<ServiceItemsDto>> (HttpContext context, PublicQueries queries) =>
                    Found(await queries.ServiceItemMeasures(scope, KeyOf(context)), scope, KeyOf(context)))
                .WithSummary($"The {what}'s measures per service item (事项) over every window, and its worst items (smoothed 30-day score; too few ratings: unranked).");
            api.MapGet($"{path}/channels", async Task<Ok<ChannelsDto>> (HttpContext context, PublicQueries queries) =>
                    Found(await queries.ChannelMeasures(scope, KeyOf(context)), scope, KeyOf(context)))
                .WithSummary($"The {what}'s measures per channel and per IP domain over every window.");
        }
    }

    /// <summary>The institution id, division code or region word of the path; the province's code on the province's paths, which name none.</summary>
    private static string KeyOf(HttpContext context) => context.GetRouteValue("key") as string ?? Scope.ProvinceCode;

    private static Ok<T> Found<T>(T? answer, AreaScope scope, string key)
        where T : class =>
        answer is not null ? TypedResults.Ok(answer) : throw NotFound(scope, key);

    private static Refusal NotFound(AreaScope scope, string key) => Refusal.NotFound(scope switch
    {
        AreaScope.Institution => $"No institution has the id '{key}'.",
        AreaScope.City => $"No prefecture city has the code '{key}'; codes are GB/T 2260, e.g. 440100 for Guangzhou.",
        AreaScope.County => $"No county-level division has the code '{key}'; codes are GB/T 2260, e.g. 440106 for Tianhe.",
        _ => $"No region is called '{key}'; the plan's regions are pearl-river-delta, east, west and north.",
    });

    private static async Task<Ok<PageDto<InstitutionSummaryDto>>> SearchInstitutions(
        PublicQueries queries, string? city, string? county, string? kind, string? service, string? q, int? page, int? pageSize)
    {
        var parsedKind = ContractWords.Parse<InstitutionKind>(kind, "kind");
        var paging = Paging.Of(page, pageSize, InstitutionQuery.MaxPageSize, InstitutionQuery.DefaultPageSize);
        return TypedResults.Ok(await queries.Search(new InstitutionQuery(city, county, parsedKind, service, q, paging.Page, paging.PageSize)));
    }

    private static async Task<Ok<InstitutionDetailDto>> GetInstitution(string id, PublicQueries queries) =>
        Found(await queries.Institution(id), AreaScope.Institution, id);

    private static async Task<Ok<RectificationDto>> GetCityRectification(string code, PublicQueries queries) =>
        Found(await queries.CityRectification(code), AreaScope.City, code);

    private static async Task<Ok<RectificationDto>> GetInstitutionRectification(string id, PublicQueries queries) =>
        Found(await queries.InstitutionRectification(id), AreaScope.Institution, id);

    private static async Task<Ok<PageDto<ServiceItemDto>>> GetServiceItems(PublicQueries queries)
    {
        var items = await queries.ServiceItems();
        return TypedResults.Ok(new PageDto<ServiceItemDto>(items, items.Count, 1, items.Count));
    }
}
