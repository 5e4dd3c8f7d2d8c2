using System.Collections.Frozen;
using System.Text.Json;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Data;

namespace Evaluation.Domain.Registry;

/// <summary>The province default service-item list (事项清单): every item an institution may publish.</summary>
public sealed class ServiceItemCatalog
{
    private readonly FrozenDictionary<string, ServiceItem> byCode;

    public ServiceItemCatalog(IEnumerable<ServiceItem> items)
    {
        Items = [.. items];
        byCode = Items.ToFrozenDictionary(i => i.Code, StringComparer.Ordinal);
    }

    /// <summary>In published order.</summary>
    public IReadOnlyList<ServiceItem> Items { get; }

    /// <summary>The list shipped with the system.</summary>
    public static ServiceItemCatalog Load() => Parse(EmbeddedData.ReadText(EmbeddedData.ServiceItems));

    public static ServiceItemCatalog Parse(string json)
    {
        var file = JsonSerializer.Deserialize<ItemFile>(json, DataJson.Options)
            ?? throw new InvalidDataException("Service-item file is empty.");
        return new ServiceItemCatalog((file.Items ?? []).Select(ToItem));
    }

    public ServiceItem? Find(string code) => byCode.GetValueOrDefault(code);

    public bool Contains(string code) => byCode.ContainsKey(code);

    private static ServiceItem ToItem(ItemEntry e, int index)
    {
        string Required(string? value, string field) => string.IsNullOrWhiteSpace(value)
            ? throw new InvalidDataException($"items[{index}].{field} is required.")
            : value;

        if (!KebabCase.TryParse<IpDomain>(e.Domain, out var domain))
            throw new InvalidDataException($"items[{index}].domain '{e.Domain}' is not one of {KebabCase.Choices<IpDomain>()}.");
        if (e.TimeLimit is not { Value: >= 0 } limit || !KebabCase.TryParse<TimeLimitUnit>(limit.Unit, out var unit))
            throw new InvalidDataException($"items[{index}].timeLimit needs a value ≥ 0 and a unit ({KebabCase.Choices<TimeLimitUnit>()}).");
        return new ServiceItem(
            Required(e.Code, "code"),
            Required(e.Name, "name"),
            Required(e.NameEn, "nameEn"),
            domain,
            Required(e.Workflow, "workflow"),
            new TimeLimit(limit.Value, unit));
    }

    private sealed record ItemFile(string? Notice, IReadOnlyList<ItemEntry>? Items);

    private sealed record ItemEntry(string? Code, string? Name, string? NameEn, string? Domain, string? Workflow, LimitEntry? TimeLimit);

    private sealed record LimitEntry(int Value, string? Unit);
}
