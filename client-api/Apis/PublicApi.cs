using Evaluation.Contracts.Grains;
using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;
using Microsoft.AspNetCore.Http.HttpResults;
using MeasureWindows = Evaluation.Contracts.Measures.Windows;

namespace Evaluation.ClientApi.Apis;

/// <summary>Anonymous reads for the public portal: aggregate scores and the published lists. Never personal data.</summary>
public static class PublicApi
{
    public static void MapPublicApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/public").WithTags("Public");
        api.MapGet("/province", GetProvince).WithSummary("The province's scores, service measures, city rankings and plan targets.");
        api.MapGet("/cities", GetCities).WithSummary("Every prefecture city with its scores and rank.");
        api.MapGet("/cities/{code}", GetCity).WithSummary("One city with its scores and its institutions ranked within peer groups.");
        api.MapGet("/institutions", SearchInstitutions).WithSummary("Institutions, filtered by city, county, kind, service item or text, a page at a time.");
        api.MapGet("/institutions/{id}", GetInstitution).WithSummary("One institution: its published (信息公开) fields, service list and scores.");
        api.MapGet("/service-items", GetServiceItems).WithSummary("The province's service-item list (事项清单) with time limits.");
    }

    private static async Task<Ok<AreaDto>> GetProvince(IClusterClient cluster)
    {
        var view = await cluster.GetGrain<IProvinceGrain>("440000").GetView();
        var division = (await Directory(cluster).GetDivisions()).First(d => d.Level == DivisionLevel.Province);
        return TypedResults.Ok(AreaDto.From(division, null, view.Measures, view.CityRankings, view.PlanTargets));
    }

    private static async Task<Ok<PageDto<AreaDto>>> GetCities(IClusterClient cluster)
    {
        var cities = (await Directory(cluster).GetDivisions()).Where(d => d.Level == DivisionLevel.City).ToList();
        var measures = await Task.WhenAll(cities.Select(c => cluster.GetGrain<ICityGrain>(c.Code).GetMeasures()));
        var province = await cluster.GetGrain<IProvinceGrain>("440000").GetView();
        var items = cities
            .Select((c, i) => AreaDto.From(c, null, measures[i], province.CityRankings.Where(r => r.Id == c.Code).ToList(), null))
            .ToList();
        return TypedResults.Ok(new PageDto<AreaDto>(items, items.Count, 1, items.Count));
    }

    private static async Task<Results<Ok<AreaDto>, ProblemHttpResult>> GetCity(string code, IClusterClient cluster)
    {
        var division = (await Directory(cluster).GetDivisions()).FirstOrDefault(d => d.Code == code && d.Level == DivisionLevel.City);
        if (division is null)
        {
            return NotFound($"No prefecture city has the code '{code}'; codes are GB/T 2260, e.g. 440100 for Guangzhou.");
        }

        var view = await cluster.GetGrain<ICityGrain>(code).GetView();
        return TypedResults.Ok(AreaDto.From(division, view.InstitutionCount, view.Measures, view.InstitutionRankings, null));
    }

    private static async Task<Results<Ok<PageDto<InstitutionSummaryDto>>, ProblemHttpResult>> SearchInstitutions(
        IClusterClient cluster, string? city, string? county, string? kind, string? service, string? q, int? page, int? pageSize)
    {
        InstitutionKind? parsedKind = null;
        if (kind is not null)
        {
            var match = Enum.GetValues<InstitutionKind>().Where(k => MeasuresDto.EnumName(k) == kind).Select(k => (InstitutionKind?)k).FirstOrDefault();
            if (match is null)
            {
                return BadQuery("kind", $"kind must be one of {string.Join(", ", Enum.GetValues<InstitutionKind>().Select(k => MeasuresDto.EnumName(k)))}");
            }

            parsedKind = match;
        }

        if (page is < 1)
        {
            return BadQuery("page", "page counts from 1");
        }

        if (pageSize is < 1 or > 100)
        {
            return BadQuery("pageSize", "pageSize must be from 1 to 100");
        }

        var result = await Directory(cluster).Search(new InstitutionQuery(city, county, parsedKind, service, q, page ?? 1, pageSize ?? 20));
        var scores = await Task.WhenAll(result.Items.Select(i => cluster.GetGrain<IInstitutionGrain>(i.Id).GetMeasures()));
        var items = result.Items.Select((i, n) => InstitutionSummaryDto.From(i, scores[n].Scores[MeasureWindows.Days30])).ToList();
        return TypedResults.Ok(new PageDto<InstitutionSummaryDto>(items, result.Total, result.Page, result.PageSize));
    }

    private static async Task<Results<Ok<InstitutionDetailDto>, ProblemHttpResult>> GetInstitution(string id, IClusterClient cluster)
    {
        var directory = Directory(cluster);
        if (await directory.Find(id) is not { } institution)
        {
            return NotFound($"No institution has the id '{id}'.");
        }

        var items = (await directory.GetServiceItems()).ToDictionary(s => s.Code);
        var services = institution.Services.Where(items.ContainsKey).Select(code => items[code]);
        var measures = await cluster.GetGrain<IInstitutionGrain>(id).GetMeasures();
        return TypedResults.Ok(InstitutionDetailDto.From(institution, services, measures));
    }

    private static async Task<Ok<PageDto<ServiceItemDto>>> GetServiceItems(IClusterClient cluster)
    {
        var items = (await Directory(cluster).GetServiceItems()).Select(ServiceItemDto.From).ToList();
        return TypedResults.Ok(new PageDto<ServiceItemDto>(items, items.Count, 1, items.Count));
    }

    private static IDirectoryGrain Directory(IClusterClient cluster) => cluster.GetGrain<IDirectoryGrain>(0);

    private static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(title: "Not found", detail: detail, statusCode: StatusCodes.Status404NotFound);

    private static ProblemHttpResult BadQuery(string parameter, string rule) =>
        TypedResults.Problem(
            title: "Invalid query parameter",
            detail: rule,
            statusCode: StatusCodes.Status400BadRequest,
            extensions: new Dictionary<string, object?> { ["errors"] = new[] { new { field = parameter, message = rule } } });
}
