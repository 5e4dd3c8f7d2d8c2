using System.Collections.Frozen;
using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Data;

namespace Evaluation.Domain.Registry;

/// <summary>What one city changes in the province list (SPEC 2.3): items only its institutions offer, and tighter time limits.</summary>
public sealed record CityServiceItems(string CityCode, IReadOnlyList<ServiceItem> Additions, IReadOnlyDictionary<string, TimeLimit> TightenedLimits);

/// <summary>
/// The province default service-item list (事项清单) every institution may publish, with each city's additions
/// and tightened time limits. A city may add items and tighten limits, never loosen them.
/// </summary>
public sealed class ServiceItemCatalog
{
    private readonly FrozenDictionary<string, ServiceItem> byCode;
    private readonly FrozenDictionary<string, CityServiceItems> byCity;

    public ServiceItemCatalog(IEnumerable<ServiceItem> items, IEnumerable<CityServiceItems>? cities = null)
    {
        Items = [.. items];
        Cities = [.. cities ?? []];
        byCode = Items.ToFrozenDictionary(i => i.Code, StringComparer.Ordinal);
        byCity = Cities.ToFrozenDictionary(c => c.CityCode, StringComparer.Ordinal);
    }

    /// <summary>The province list, in published order.</summary>
    public IReadOnlyList<ServiceItem> Items { get; }

    public IReadOnlyList<CityServiceItems> Cities { get; }

    /// <summary>The list shipped with the system.</summary>
    public static ServiceItemCatalog Load() => Parse(EmbeddedData.ReadText(EmbeddedData.ServiceItems));

    /// <summary>A file the system ships or a test writes; any problem throws with every field named.</summary>
    public static ServiceItemCatalog Parse(string json) => Read(json, DivisionCatalog.Load()).OrThrow("Service-item file");

    /// <summary>Reads a service-item file in the format of <c>service-items.json</c>, checking every rule (<see cref="ServiceItemFile"/>).</summary>
    public static DataFileResult<ServiceItemCatalog> Read(string json, DivisionCatalog divisions) => ServiceItemFile.Read(json, divisions);

    /// <summary>A province item as the province publishes it.</summary>
    public ServiceItem? Find(string code) => byCode.GetValueOrDefault(code);

    /// <summary>An item as it applies in a city: the city's own additions, or the province item with the city's tighter limit.</summary>
    public ServiceItem? Find(string code, string? cityCode)
    {
        if (cityCode is null || !byCity.TryGetValue(cityCode, out var city))
            return Find(code);
        if (city.Additions.FirstOrDefault(i => i.Code == code) is { } added)
            return added;
        return Find(code) is { } item && city.TightenedLimits.TryGetValue(code, out var limit) ? item with { TimeLimit = limit } : Find(code);
    }

    public bool Contains(string code) => byCode.ContainsKey(code);

    /// <summary>Whether an institution of the city may publish the item.</summary>
    public bool Contains(string code, string? cityCode) => Find(code, cityCode) is not null;
}
