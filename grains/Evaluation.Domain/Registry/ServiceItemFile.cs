using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Data;

namespace Evaluation.Domain.Registry;

/// <summary>
/// The rules of a service-item file: the province <c>items</c>, and per city (<c>cities[n]</c>) its added
/// <c>items</c> and its <c>timeLimits</c>, each naming a province item and a limit in the province item's unit
/// that is no longer than the province's.
/// </summary>
internal static class ServiceItemFile
{
    public const int MaxWorkingDays = 365;
    public const int MaxHours = 24 * 366;

    public static DataFileResult<ServiceItemCatalog> Read(string json, DivisionCatalog divisions)
    {
        var errors = new List<FieldError>();
        var file = DataFile.Read<ItemFile>(json, "service-item file", errors);
        if (file is null)
            return new(null, errors);
        if (file.Items is not { Count: > 0 } entries)
        {
            errors.Add(new FieldError("items", "required: the province list of at least one item"));
            return new(null, errors);
        }

        var province = entries.Select((e, i) => ToItem(e, $"items[{i}]", errors)).ToList();
        DataFile.CheckUnique(entries.Select((e, i) => (e?.Code, $"items[{i}].code")), "service item code", errors);
        var byCode = province.OfType<ServiceItem>().GroupBy(i => i.Code, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var cities = (file.Cities ?? []).Select((c, n) => ToCity(c, $"cities[{n}]", byCode, divisions, errors)).ToList();
        DataFile.CheckUnique((file.Cities ?? []).Select((c, n) => (c?.CityCode, $"cities[{n}].cityCode")), "city", errors);
        // Built only from a clean file: a repeated code or city cannot be indexed.
        return errors.Count > 0 ? new(null, errors) : new(new ServiceItemCatalog(province.OfType<ServiceItem>(), cities.OfType<CityServiceItems>()), []);
    }

    private static CityServiceItems? ToCity(CityEntry? e, string at, Dictionary<string, ServiceItem> province, DivisionCatalog divisions, List<FieldError> errors)
    {
        if (e is null)
        {
            errors.Add(new FieldError(at, "must be a city object"));
            return null;
        }
        if (string.IsNullOrWhiteSpace(e.CityCode))
            errors.Add(new FieldError($"{at}.cityCode", "cityCode is required"));
        else if (divisions.Find(e.CityCode)?.Level != DivisionLevel.City)
            errors.Add(new FieldError($"{at}.cityCode", $"'{e.CityCode}' is not a prefecture city of Guangdong"));

        var additions = (e.Items ?? []).Select((item, i) => ToItem(item, $"{at}.items[{i}]", errors)).ToList();
        for (var i = 0; i < additions.Count; i++)
        {
            if (additions[i] is { } added && province.ContainsKey(added.Code))
                errors.Add(new FieldError($"{at}.items[{i}].code", $"'{added.Code}' is a province item; a city tightens its limit under timeLimits instead"));
        }
        DataFile.CheckUnique((e.Items ?? []).Select((item, i) => (item?.Code, $"{at}.items[{i}].code")), "service item code", errors);

        var limits = new Dictionary<string, TimeLimit>(StringComparer.Ordinal);
        var entries = e.TimeLimits ?? [];
        for (var i = 0; i < entries.Count; i++)
        {
            if (ToTightened(entries[i], $"{at}.timeLimits[{i}]", province, errors) is { } tightened && !limits.TryAdd(tightened.Code, tightened.Limit))
                errors.Add(new FieldError($"{at}.timeLimits[{i}].code", $"duplicate time limit for '{tightened.Code}'"));
        }
        return new CityServiceItems(e.CityCode ?? "", [.. additions.OfType<ServiceItem>()], limits);
    }

    private static (string Code, TimeLimit Limit)? ToTightened(LimitOverride? e, string at, Dictionary<string, ServiceItem> province, List<FieldError> errors)
    {
        if (e is null)
        {
            errors.Add(new FieldError(at, "must be a time-limit object"));
            return null;
        }
        ServiceItem? item = null;
        if (string.IsNullOrWhiteSpace(e.Code))
            errors.Add(new FieldError($"{at}.code", "code is required"));
        else if (!province.TryGetValue(e.Code, out item))
            errors.Add(new FieldError($"{at}.code", $"'{e.Code}' is not a province item; a city's own items carry their limit in items"));
        if (ToLimit(e.TimeLimit, $"{at}.timeLimit", errors) is not { } limit || item is null)
            return null;
        if (limit.Unit != item.TimeLimit.Unit)
        {
            errors.Add(new FieldError($"{at}.timeLimit.unit", $"must be the province item's unit '{KebabCase.Name(item.TimeLimit.Unit)}', so the limits compare"));
            return null;
        }
        if (limit.Value > item.TimeLimit.Value)
        {
            errors.Add(new FieldError($"{at}.timeLimit.value", $"a city may tighten a limit, not loosen it: at most {item.TimeLimit.Value} (the province limit)"));
            return null;
        }
        return (item.Code, limit);
    }

    private static ServiceItem? ToItem(ItemEntry? e, string at, List<FieldError> errors)
    {
        if (e is null)
        {
            errors.Add(new FieldError(at, "must be a service item object"));
            return null;
        }
        var before = errors.Count;
        string Required(string? value, string field)
        {
            if (string.IsNullOrWhiteSpace(value))
                errors.Add(new FieldError($"{at}.{field}", $"{field} is required"));
            return value ?? "";
        }

        var code = Required(e.Code, "code");
        var name = Required(e.Name, "name");
        var nameEn = Required(e.NameEn, "nameEn");
        var workflow = Required(e.Workflow, "workflow");
        if (!KebabCase.TryParse<IpDomain>(e.Domain, out var domain))
            errors.Add(new FieldError($"{at}.domain", $"'{e.Domain}' is not one of {KebabCase.Choices<IpDomain>()}"));
        var limit = ToLimit(e.TimeLimit, $"{at}.timeLimit", errors);
        return errors.Count == before && limit is not null ? new ServiceItem(code, name, nameEn, domain, workflow, limit) : null;
    }

    private static TimeLimit? ToLimit(LimitEntry? e, string at, List<FieldError> errors)
    {
        if (e is null)
        {
            errors.Add(new FieldError(at, "timeLimit is required: a value and a unit"));
            return null;
        }
        if (!KebabCase.TryParse<TimeLimitUnit>(e.Unit, out var unit))
        {
            errors.Add(new FieldError($"{at}.unit", $"'{e.Unit}' is not one of {KebabCase.Choices<TimeLimitUnit>()}"));
            return null;
        }
        var max = unit == TimeLimitUnit.Hours ? MaxHours : MaxWorkingDays;
        if (e.Value is not { } value || value < 0 || value > max)
        {
            errors.Add(new FieldError($"{at}.value", $"must be a whole number from 0 to {max} {KebabCase.Name(unit)}"));
            return null;
        }
        return new TimeLimit(value, unit);
    }

    private sealed record ItemFile(string? Notice, IReadOnlyList<ItemEntry?>? Items, IReadOnlyList<CityEntry?>? Cities);

    private sealed record CityEntry(string? CityCode, string? Name, IReadOnlyList<ItemEntry?>? Items, IReadOnlyList<LimitOverride?>? TimeLimits);

    private sealed record ItemEntry(string? Code, string? Name, string? NameEn, string? Domain, string? Workflow, LimitEntry? TimeLimit);

    private sealed record LimitOverride(string? Code, LimitEntry? TimeLimit);

    private sealed record LimitEntry(int? Value, string? Unit);
}
