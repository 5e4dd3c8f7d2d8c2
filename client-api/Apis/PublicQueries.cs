using Evaluation.ClientApi.Application;
using Evaluation.Contracts.Cases;
using Evaluation.Contracts.Grains;
using Evaluation.Contracts.Registry;
using Microsoft.Extensions.Caching.Memory;
using AreaBreakdowns = Evaluation.Contracts.Measures.AreaBreakdowns;
using MeasureWindows = Evaluation.Contracts.Measures.Windows;

namespace Evaluation.ClientApi.Apis;

/// <summary>What a breakdown read is about: an institution or one kind of area.</summary>
public enum AreaScope
{
    Institution,
    City,
    County,
    Region,
    Province,
}

/// <summary>
/// The public reads as the JSON API and the public portal both see them, so a figure on a page is always the
/// figure the API publishes. Anonymous data only: nothing here ever carries a rater's contact.
/// </summary>
public sealed class PublicQueries(IClusterClient cluster, IMemoryCache cache)
{
    private const string ProvinceCode = Scope.ProvinceCode;

    // The registry changes only by an import, which the silos themselves pick up within 5 s; kept here as long,
    // a public read costs one grain call (the measures) instead of three.
    private static readonly TimeSpan RegistryLifetime = TimeSpan.FromSeconds(5);

    public async Task<AreaDto> Province()
    {
        var view = await cluster.GetGrain<IProvinceGrain>(ProvinceCode).GetView();
        var division = (await Divisions()).First(d => d.Level == DivisionLevel.Province);
        return AreaDto.From(division, null, view.Measures, view.CityRankings, view.PlanTargets);
    }

    public async Task<PageDto<AreaDto>> Cities()
    {
        var cities = (await Divisions()).Where(d => d.Level == DivisionLevel.City).ToList();
        var provinceGrain = cluster.GetGrain<IProvinceGrain>(ProvinceCode);
        var measures = provinceGrain.GetCityMeasures();
        var province = provinceGrain.GetView();
        await Task.WhenAll(measures, province);
        var items = cities
            .Where(c => measures.Result.ContainsKey(c.Code))
            .Select(c => AreaDto.From(c, null, measures.Result[c.Code], province.Result.CityRankings.Where(r => r.Id == c.Code).ToList(), null))
            .ToList();
        return new PageDto<AreaDto>(items, items.Count, 1, items.Count);
    }

    /// <summary>The city with that code, or null when no prefecture city has it.</summary>
    public async Task<AreaDto?> City(string code)
    {
        var division = (await Divisions()).FirstOrDefault(d => d.Code == code && d.Level == DivisionLevel.City);
        if (division is null)
        {
            return null;
        }

        var view = await cluster.GetGrain<ICityGrain>(code).GetView();
        return AreaDto.From(division, view.InstitutionCount, view.Measures, view.InstitutionRankings, null);
    }

    /// <summary>The county-level division with that code (its city's region), or null when there is none.</summary>
    public async Task<AreaDto?> County(string code)
    {
        var divisions = await Divisions();
        if (divisions.FirstOrDefault(d => d.Code == code && d.Level == DivisionLevel.County) is not { ParentCode: { } city } division)
        {
            return null;
        }

        var measures = await cluster.GetGrain<ICityGrain>(city).GetCountyMeasures(code);
        var institutions = (await Directory.Search(new InstitutionQuery(County: code, PageSize: 1))).Total;
        var region = divisions.FirstOrDefault(d => d.Code == city)?.Region;
        return AreaDto.From(division with { Region = region }, institutions, measures, null, null);
    }

    /// <summary>One of the plan's four regions, as the sum of its cities (named like a division, code = the region's word).</summary>
    public async Task<AreaDto> Region(Region region)
    {
        var divisions = await Divisions();
        var cities = divisions.Where(d => d.Level == DivisionLevel.City && d.Region == region).Select(d => d.Code).ToHashSet();
        var measures = await cluster.GetGrain<IProvinceGrain>(ProvinceCode).GetRegionMeasures(region);
        var province = await cluster.GetGrain<IProvinceGrain>(ProvinceCode).GetView();
        var pseudo = new Division(ContractWords.Word(region), RegionNames.Chinese(region), RegionNames.English(region), DivisionLevel.Province, ProvinceCode, region, null);
        return AreaDto.From(pseudo, null, measures, [.. province.CityRankings.Where(r => cities.Contains(r.Id))], null);
    }

    /// <summary>One page of institutions matching the query, each with its 30-day score.</summary>
    public async Task<PageDto<InstitutionSummaryDto>> Search(InstitutionQuery query)
    {
        var result = await Directory.Search(query);
        var scores = await Task.WhenAll(result.Items.Select(i => cluster.GetGrain<IInstitutionGrain>(i.Id).GetMeasures()));
        var items = result.Items.Select((i, n) => InstitutionSummaryDto.From(i, scores[n].Scores[MeasureWindows.Days30])).ToList();
        return new PageDto<InstitutionSummaryDto>(items, result.Total, result.Page, result.PageSize);
    }

    /// <summary>The institution with that id, or null when there is none.</summary>
    public async Task<InstitutionDetailDto?> Institution(string id)
    {
        if (await FromRegistry($"institution:{id}", () => Directory.Find(id)) is not { } institution)
        {
            return null;
        }

        var items = (await ServiceItemList()).ToDictionary(s => s.Code);
        var services = institution.Services.Where(items.ContainsKey).Select(code => items[code]);
        var measures = await cluster.GetGrain<IInstitutionGrain>(id).GetMeasures();
        return InstitutionDetailDto.From(institution, services, measures);
    }

    /// <summary>The city's 整改公示, or null when no prefecture city has that code.</summary>
    public async Task<RectificationDto?> CityRectification(string code)
    {
        if (!(await Divisions()).Any(d => d.Code == code && d.Level == DivisionLevel.City))
        {
            return null;
        }

        var notice = await cluster.GetGrain<IFollowUpIndexGrain>(code).Rectification(null);
        return RectificationDto.Publish(notice, await ServiceItemsByCode());
    }

    /// <summary>The institution's 整改公示, or null when there is no such institution.</summary>
    public async Task<RectificationDto?> InstitutionRectification(string id)
    {
        if (await FromRegistry($"institution:{id}", () => Directory.Find(id)) is not { } institution)
        {
            return null;
        }

        var notice = await cluster.GetGrain<IFollowUpIndexGrain>(institution.CityCode).Rectification(id);
        return RectificationDto.Publish(notice, await ServiceItemsByCode());
    }

    /// <summary>
    /// The measures per channel, domain and service item of the institution or area of that kind named by
    /// <paramref name="key"/> (id, division code or region word; ignored for the province), or null when there is none.
    /// </summary>
    private async Task<AreaBreakdowns?> Breakdowns(AreaScope scope, string key)
    {
        switch (scope)
        {
            case AreaScope.Institution:
                return await FromRegistry($"institution:{key}", () => Directory.Find(key)) is null
                    ? null
                    : await cluster.GetGrain<IInstitutionGrain>(key).GetBreakdowns();
            case AreaScope.City:
                return (await Divisions()).Any(d => d.Code == key && d.Level == DivisionLevel.City)
                    ? await cluster.GetGrain<ICityGrain>(key).GetBreakdowns()
                    : null;
            case AreaScope.County:
                return (await Divisions()).FirstOrDefault(d => d.Code == key && d.Level == DivisionLevel.County) is { ParentCode: { } city }
                    ? await cluster.GetGrain<ICityGrain>(city).GetCountyBreakdowns(key)
                    : null;
            case AreaScope.Region:
                return ContractWords.TryParse<Region>(key, out var region)
                    ? await cluster.GetGrain<IProvinceGrain>(ProvinceCode).GetRegionBreakdowns(region)
                    : null;
            default:
                return await cluster.GetGrain<IProvinceGrain>(ProvinceCode).GetBreakdowns();
        }
    }

    /// <summary>The measures per service item of an institution or area, or null when there is none (see <see cref="Breakdowns"/>).</summary>
    public async Task<ServiceItemsDto?> ServiceItemMeasures(AreaScope scope, string key) =>
        await Breakdowns(scope, key) is { } b ? ServiceItemsDto.From(key, b, await ServiceItemList()) : null;

    /// <summary>The measures per channel and IP domain of an institution or area, or null when there is none.</summary>
    public async Task<ChannelsDto?> ChannelMeasures(AreaScope scope, string key) =>
        await Breakdowns(scope, key) is { } b ? ChannelsDto.From(key, b) : null;

    public async Task<IReadOnlyList<ServiceItemDto>> ServiceItems() =>
        [.. (await ServiceItemList()).Select(ServiceItemDto.From)];

    public async Task<IReadOnlyList<Division>> Divisions() => (await FromRegistry("divisions", Directory.GetDivisions))!;

    private async Task<IReadOnlyDictionary<string, ServiceItem>> ServiceItemsByCode() => (await ServiceItemList()).ToDictionary(s => s.Code);

    private async Task<IReadOnlyList<ServiceItem>> ServiceItemList() => (await FromRegistry("service-items", Directory.GetServiceItems))!;

    private Task<T?> FromRegistry<T>(string key, Func<Task<T>> read) =>
        cache.GetOrCreateAsync(key, entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = RegistryLifetime;
            return read();
        });

    private IDirectoryGrain Directory => cluster.GetGrain<IDirectoryGrain>(0);
}
