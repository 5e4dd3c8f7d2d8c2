using Evaluation.ClientApi.Application;
using Evaluation.Contracts.Cases;
using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;
using MeasureWindows = Evaluation.Contracts.Measures.Windows;

namespace Evaluation.ClientApi.Apis;

/// <summary>The measures of an institution or an area in the shape of the public contract (SPEC 4.5.1).</summary>
public sealed record MeasuresDto(
    DateTimeOffset AsOf,
    IReadOnlyDictionary<string, ScoreView> Scores,
    ServiceWindowDto Service,
    IReadOnlyDictionary<string, ServiceView> ServiceByWindow,
    IReadOnlyDictionary<string, ScoreView> ByChannel,
    IReadOnlyDictionary<string, ScoreView> ByDomain,
    IReadOnlyList<DailyPoint> Daily,
    IReadOnlyDictionary<string, HandlingView> Handling)
{
    public static MeasuresDto From(AreaMeasures m) => new(
        m.AsOf,
        m.Scores,
        ServiceWindowDto.From(MeasureWindows.Days30, m.Service[MeasureWindows.Days30]),
        m.Service,
        m.ByChannel.ToDictionary(c => ContractWords.Word(c.Key), c => c.Value),
        m.ByDomain.ToDictionary(d => ContractWords.Word(d.Key), d => d.Value),
        m.Daily,
        m.Handling);
}

/// <summary>The service measures of one window, naming the window so a reader never has to guess it.</summary>
public sealed record ServiceWindowDto(
    string Window,
    long Completed,
    long Backlog,
    double? OnTimeRate,
    double? HandlingP50Hours,
    double? HandlingP90Hours,
    double? EvaluationRate,
    double ThroughputPerDay,
    long Opened)
{
    public static ServiceWindowDto From(string window, ServiceView s) =>
        new(window, s.Completed, s.Backlog, s.OnTimeRate, s.HandlingP50Hours, s.HandlingP90Hours, s.EvaluationRate, s.ThroughputPerDay, s.Opened);
}

/// <summary>The 信息公开 fields of an institution (what the plan requires published, no personal data) and its 30-day score.</summary>
public sealed record InstitutionSummaryDto(
    string Id,
    string Name,
    InstitutionKind Kind,
    string? Category,
    string? Rank,
    string CityCode,
    string? CountyCode,
    string Address,
    string Phone,
    DateOnly OpenedOn,
    string Status,
    IReadOnlyList<Channel> Channels,
    IReadOnlyList<string> Services,
    bool IsSample,
    ScoreView D30)
{
    public static InstitutionSummaryDto From(Institution i, ScoreView d30) =>
        new(i.Id, i.Name, i.Kind, i.Category, i.Rank, i.CityCode, i.CountyCode, i.Address, i.Phone, i.OpenedOn, i.Status, i.Channels, i.Services, i.IsSample, d30);
}

public sealed record ServiceItemDto(string Code, string Name, string NameEn, IpDomain Domain, string Workflow, TimeLimitDto TimeLimit)
{
    public static ServiceItemDto From(ServiceItem s) => new(s.Code, s.Name, s.NameEn, s.Domain, s.Workflow, new TimeLimitDto(s.TimeLimit.Value, s.TimeLimit.Unit));
}

public sealed record TimeLimitDto(int Value, TimeLimitUnit Unit);

public sealed record InstitutionDetailDto(
    string Id,
    string Name,
    InstitutionKind Kind,
    string? Category,
    string? Rank,
    string CityCode,
    string? CountyCode,
    string Address,
    string Phone,
    DateOnly OpenedOn,
    string Status,
    IReadOnlyList<Channel> Channels,
    IReadOnlyList<ServiceItemDto> Services,
    bool IsSample,
    DateTimeOffset AsOf,
    IReadOnlyDictionary<string, ScoreView> Scores,
    ServiceWindowDto Service,
    IReadOnlyDictionary<string, ServiceView> ServiceByWindow,
    IReadOnlyDictionary<string, ScoreView> ByChannel,
    IReadOnlyDictionary<string, ScoreView> ByDomain,
    IReadOnlyList<DailyPoint> Daily,
    IReadOnlyDictionary<string, HandlingView> Handling)
{
    public static InstitutionDetailDto From(Institution i, IEnumerable<ServiceItem> services, AreaMeasures measures)
    {
        var m = MeasuresDto.From(measures);
        return new(i.Id, i.Name, i.Kind, i.Category, i.Rank, i.CityCode, i.CountyCode, i.Address, i.Phone, i.OpenedOn, i.Status,
            i.Channels, [.. services.Select(ServiceItemDto.From)], i.IsSample, m.AsOf, m.Scores, m.Service, m.ServiceByWindow,
            m.ByChannel, m.ByDomain, m.Daily, m.Handling);
    }
}

/// <summary>A city or the province: the same score and service shapes as an institution, plus rankings.</summary>
public sealed record AreaDto(
    string Code,
    string Name,
    string? NameEn,
    Region? Region,
    int? InstitutionCount,
    DateTimeOffset AsOf,
    IReadOnlyDictionary<string, ScoreView> Scores,
    ServiceWindowDto Service,
    IReadOnlyDictionary<string, ServiceView> ServiceByWindow,
    IReadOnlyDictionary<string, ScoreView> ByChannel,
    IReadOnlyDictionary<string, ScoreView> ByDomain,
    IReadOnlyList<DailyPoint> Daily,
    IReadOnlyList<RankingEntry>? Rankings,
    IReadOnlyList<PlanTargetView>? PlanTargets,
    IReadOnlyDictionary<string, HandlingView> Handling)
{
    public static AreaDto From(Division division, int? institutionCount, AreaMeasures measures, IReadOnlyList<RankingEntry>? rankings, IReadOnlyList<PlanTargetView>? targets)
    {
        var m = MeasuresDto.From(measures);
        return new(division.Code, division.Name, division.NameEn, division.Region, institutionCount, m.AsOf, m.Scores, m.Service,
            m.ServiceByWindow, m.ByChannel, m.ByDomain, m.Daily, rankings, targets, m.Handling);
    }
}

public sealed record PageDto<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);

/// <summary>整改公示 of a city or an institution (see <see cref="RectificationNotice"/>): counts only, never a name, contact, comment or follow-up id.</summary>
public sealed record RectificationDto(
    string CityCode,
    string? InstitutionId,
    int Days,
    DateOnly From,
    DateOnly To,
    int Rectified,
    IReadOnlyList<RectifiedServiceItemDto> ByServiceItem,
    IReadOnlyList<RectifiedTagDto> ByTag,
    double? MedianDaysToRectify,
    int AppealsUpheld,
    int AppealsDismissed)
{
    public static RectificationDto Publish(RectificationNotice n, IReadOnlyDictionary<string, ServiceItem> items) =>
        new(n.CityCode, n.InstitutionId, n.Days, n.From, n.To, n.Rectified,
            [.. n.ByServiceItem.Select(c => new RectifiedServiceItemDto(c.Key, items.GetValueOrDefault(c.Key)?.Name, c.Count))],
            [.. n.ByTag.Select(c => new RectifiedTagDto(c.Key, c.Count))],
            n.MedianDaysToRectify, n.AppealsUpheld, n.AppealsDismissed);
}

public sealed record RectifiedServiceItemDto(string ServiceItem, string? Name, int Count);

public sealed record RectifiedTagDto(string Tag, int Count);

/// <summary>The names of the plan's regions, as the public reads and pages give them.</summary>
public static class RegionNames
{
    public static string Chinese(Region region) => region switch
    {
        Region.PearlRiverDelta => "珠三角",
        Region.East => "粤东",
        Region.West => "粤西",
        _ => "粤北",
    };

    public static string English(Region region) => region switch
    {
        Region.PearlRiverDelta => "Pearl River Delta",
        Region.East => "Eastern Guangdong",
        Region.West => "Western Guangdong",
        _ => "Northern Guangdong",
    };
}

/// <summary>The service measures of one part of an area for one window: those of the area without the backlog, which is kept per area only.</summary>
public sealed record PartServiceDto(
    long Completed,
    long Opened,
    double? OnTimeRate,
    double? HandlingP50Hours,
    double? HandlingP90Hours,
    double? EvaluationRate,
    double ThroughputPerDay)
{
    public static IReadOnlyDictionary<string, PartServiceDto> ByWindow(BreakdownMeasures m) => m.Service.ToDictionary(
        w => w.Key,
        w => new PartServiceDto(w.Value.Completed, w.Value.Opened, w.Value.OnTimeRate, w.Value.HandlingP50Hours, w.Value.HandlingP90Hours, w.Value.EvaluationRate, w.Value.ThroughputPerDay));
}

/// <summary>One service item (事项) of an area: its scores, service and 差评 handling keyed by window like the area's.</summary>
public sealed record ServiceItemMeasuresDto(
    string ServiceItem,
    string? Name,
    IpDomain? Domain,
    IReadOnlyDictionary<string, ScoreView> Scores,
    IReadOnlyDictionary<string, PartServiceDto> Service,
    IReadOnlyDictionary<string, HandlingView> Handling);

/// <summary>
/// <c>GET …/service-items</c>: the area's items with ratings or services in the last 90 days, in the 事项清单's order,
/// and <see cref="Worst"/>: the items from the worst smoothed 30-day score, those with too few ratings last and unranked.
/// </summary>
public sealed record ServiceItemsDto(string Code, DateTimeOffset AsOf, IReadOnlyList<ServiceItemMeasuresDto> Items, IReadOnlyList<RankingEntry> Worst)
{
    public static ServiceItemsDto From(string code, AreaBreakdowns b, IReadOnlyList<ServiceItem> catalog)
    {
        var order = catalog.Select((item, i) => (item, i)).ToDictionary(x => x.item.Code, x => x.i);
        var items = b.ByServiceItem
            .OrderBy(p => order.GetValueOrDefault(p.Key, int.MaxValue))
            .ThenBy(p => p.Key, StringComparer.Ordinal)
            .Select(p =>
            {
                var item = order.TryGetValue(p.Key, out var i) ? catalog[i] : null;
                return new ServiceItemMeasuresDto(p.Key, item?.Name, item?.Domain, p.Value.Scores, PartServiceDto.ByWindow(p.Value), p.Value.Handling);
            })
            .ToList();
        return new ServiceItemsDto(code, b.AsOf, items, b.WorstServiceItems);
    }
}

/// <summary>One channel or IP domain of an area (<see cref="Part"/> is its contract word), keyed by window like the area's measures.</summary>
public sealed record PartMeasuresDto(
    string Part,
    IReadOnlyDictionary<string, ScoreView> Scores,
    IReadOnlyDictionary<string, PartServiceDto> Service,
    IReadOnlyDictionary<string, HandlingView> Handling);

/// <summary><c>GET …/channels</c>: the area's measures per channel and per IP domain over every window.</summary>
public sealed record ChannelsDto(string Code, DateTimeOffset AsOf, IReadOnlyList<PartMeasuresDto> Channels, IReadOnlyList<PartMeasuresDto> Domains)
{
    public static ChannelsDto From(string code, AreaBreakdowns b) => new(code, b.AsOf, Parts(b.ByChannel), Parts(b.ByDomain));

    private static List<PartMeasuresDto> Parts<TEnum>(IReadOnlyDictionary<TEnum, BreakdownMeasures> parts)
        where TEnum : struct, Enum =>
        [.. parts.OrderBy(p => p.Key).Select(p => new PartMeasuresDto(ContractWords.Word(p.Key), p.Value.Scores, PartServiceDto.ByWindow(p.Value), p.Value.Handling))];
}
