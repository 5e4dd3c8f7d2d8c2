using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Data;

namespace Evaluation.Domain.Registry;

/// <summary>The outcome of reading an institutions file: either every institution, or every problem found.</summary>
public sealed record RegistryFileResult(IReadOnlyList<Institution> Institutions, IReadOnlyList<FieldError> Errors)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>
/// The institutions file (<c>institutions.sample.json</c> and an operator's real list): reading, checking
/// and writing it. Records handed over in code (the admin import) are checked by the same rules through
/// their file form, so a file and an API call get the same messages with the same field paths.
/// </summary>
public static partial class RegistryFile
{
    /// <summary>Categories of information outlets (网点), SPEC 2.2.</summary>
    public static readonly IReadOnlyList<string> OutletCategories =
        ["university", "research-institute", "library", "tisc", "park", "industry-body", "other"];

    /// <summary>Recognition levels of information outlets; both count as "provincial or higher" for the plan target.</summary>
    public static readonly IReadOnlyList<string> OutletRanks = ["provincial", "national"];

    public static readonly IReadOnlyList<string> Statuses = ["active", "suspended", "closed"];

    private const int MaxNameLength = 200;
    private const int MaxAddressLength = 300;

    public static RegistryFileResult Parse(string json, DivisionCatalog divisions, ServiceItemCatalog items)
    {
        var syntax = new List<FieldError>();
        var file = DataFile.Read<InstitutionFile>(json, "institutions file", syntax);
        if (syntax.Count > 0)
            return new RegistryFileResult([], syntax);
        if (file?.Institutions is not { } entries)
            return Failed(new FieldError("institutions", "required: the list of institutions"));
        var errors = Check(entries, divisions, items);
        return errors.Count > 0
            ? new RegistryFileResult([], errors)
            : new RegistryFileResult([.. entries.Select(e => ToInstitution(e!))], []);
    }

    /// <summary>Checks institutions given as records; an empty answer means they can be imported.</summary>
    public static IReadOnlyList<FieldError> Validate(
        IReadOnlyList<Institution> institutions, DivisionCatalog divisions, ServiceItemCatalog items) =>
        Check([.. institutions.Select(ToEntry)], divisions, items);

    /// <summary>The file form of <paramref name="institutions"/>; marked as sample data when they all are.</summary>
    public static string Write(IReadOnlyList<Institution> institutions, string? notice)
    {
        var file = new InstitutionFile(
            institutions.Count > 0 && institutions.All(i => i.IsSample),
            notice,
            [.. institutions.Select(ToEntry)]);
        return JsonSerializer.Serialize(file, DataJson.Options) + "\n";
    }

    private static RegistryFileResult Failed(FieldError error) => new([], [error]);

    private static List<FieldError> Check(IReadOnlyList<InstitutionEntry?> entries, DivisionCatalog divisions, ServiceItemCatalog items)
    {
        var errors = new List<FieldError>();
        if (entries.Count == 0)
            errors.Add(new FieldError("institutions", "must list at least one institution"));
        var firstIndexOfId = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            var at = $"institutions[{i}]";
            if (entries[i] is not { } e)
            {
                errors.Add(new FieldError(at, "must be an institution object"));
                continue;
            }
            void Error(string field, string message) => errors.Add(new FieldError($"{at}.{field}", message));

            if (Required(e.Id, "id", Error) is { } id)
            {
                if (!IdPattern().IsMatch(id))
                    Error("id", $"'{id}' may use only lower-case letters, digits and hyphens, at most 64 characters");
                else if (!firstIndexOfId.TryAdd(id, i))
                    Error("id", $"duplicate id '{id}', already used by institutions[{firstIndexOfId[id]}]");
            }
            if (Required(e.Name, "name", Error) is { Length: > MaxNameLength })
                Error("name", $"longer than {MaxNameLength} characters");
            CheckKind(e, Error);
            CheckDivisions(e, divisions, Error);
            if (Required(e.Address, "address", Error) is { Length: > MaxAddressLength })
                Error("address", $"longer than {MaxAddressLength} characters");
            if (Required(e.Phone, "phone", Error) is { } phone && !PhonePattern().IsMatch(phone))
                Error("phone", $"'{phone}' is not a phone number (digits, spaces, '+', '-', parentheses)");
            if (Required(e.OpenedOn, "openedOn", Error) is { } opened && !TryParseDate(opened, out _))
                Error("openedOn", $"'{opened}' is not a date like 2021-06-30");
            if (Required(e.Status, "status", Error) is { } status && !Statuses.Contains(status))
                Error("status", $"unknown status '{status}'; expected one of {string.Join(", ", Statuses)}");
            CheckList(e.Channels, "channels", c => KebabCase.TryParse<Channel>(c, out _)
                ? null
                : $"unknown channel '{c}'; expected one of {KebabCase.Choices<Channel>()}", Error);
            CheckList(e.Services, "services", s => items.Contains(s, e.CityCode) ? null : $"unknown service item code '{s}'", Error);
        }
        return errors;
    }

    private static void CheckKind(InstitutionEntry e, Action<string, string> error)
    {
        if (Required(e.Kind, "kind", error) is not { } kindText)
            return;
        if (!KebabCase.TryParse<InstitutionKind>(kindText, out var kind))
        {
            error("kind", $"unknown kind '{kindText}'; expected one of {KebabCase.Choices<InstitutionKind>()}");
            return;
        }
        if (kind == InstitutionKind.InfoOutlet)
        {
            if (Required(e.Category, "category", error) is { } category && !OutletCategories.Contains(category))
                error("category", $"unknown category '{category}'; expected one of {string.Join(", ", OutletCategories)}");
            if (Required(e.Rank, "rank", error) is { } rank && !OutletRanks.Contains(rank))
                error("rank", $"unknown rank '{rank}'; expected one of {string.Join(", ", OutletRanks)}");
            return;
        }
        // Category and rank describe outlets only; on another kind they mean the kind is wrong.
        if (e.Category is not null)
            error("category", $"only info outlets have a category, not a {kindText}");
        if (e.Rank is not null)
            error("rank", $"only info outlets have a rank, not a {kindText}");
    }

    private static void CheckDivisions(InstitutionEntry e, DivisionCatalog divisions, Action<string, string> error)
    {
        Division? city = null;
        if (Required(e.CityCode, "cityCode", error) is { } cityCode)
        {
            city = divisions.Find(cityCode);
            if (city is null)
                error("cityCode", $"unknown city code {cityCode}");
            else if (city.Level != DivisionLevel.City)
                error("cityCode", $"{cityCode} ({city.Name}) is not a prefecture city");
        }
        if (e.CountyCode is not { } countyCode)
            return;
        var county = divisions.Find(countyCode);
        if (county?.Level != DivisionLevel.County)
            error("countyCode", $"unknown county code {countyCode}");
        else if (city?.Level == DivisionLevel.City && county.ParentCode != city.Code)
            error("countyCode", $"county {countyCode} ({county.Name}) is not in city {city.Code} ({city.Name})");
    }

    private static void CheckList(
        IReadOnlyList<string?>? values, string field, Func<string, string?> problemOf, Action<string, string> error)
    {
        if (values is null || values.Count == 0)
        {
            error(field, "must list at least one");
            return;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var j = 0; j < values.Count; j++)
        {
            var value = values[j];
            var problem = value is null ? "must not be null"
                : problemOf(value) ?? (seen.Add(value) ? null : $"'{value}' is listed twice");
            if (problem is not null)
                error($"{field}[{j}]", problem);
        }
    }

    private static string? Required(string? value, string field, Action<string, string> error)
    {
        if (!string.IsNullOrWhiteSpace(value))
            return value;
        error(field, "required");
        return null;
    }

    private static bool TryParseDate(string text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    /// <summary>Only called on entries <see cref="Check"/> passed, so every parse here succeeds.</summary>
    private static Institution ToInstitution(InstitutionEntry e)
    {
        KebabCase.TryParse<InstitutionKind>(e.Kind, out var kind);
        TryParseDate(e.OpenedOn!, out var openedOn);
        return new Institution(
            e.Id!,
            e.Name!.Trim(),
            kind,
            e.Category,
            e.Rank,
            e.CityCode!,
            e.CountyCode,
            e.Address!.Trim(),
            e.Phone!,
            openedOn,
            e.Status!,
            [.. e.Channels!.Select(c => KebabCase.TryParse<Channel>(c, out var channel) ? channel : default)],
            [.. e.Services!.Select(s => s!)],
            e.IsSample);
    }

    private static InstitutionEntry ToEntry(Institution i) => new(
        i.Id,
        i.Name,
        WireName(i.Kind),
        i.Category,
        i.Rank,
        i.CityCode,
        i.CountyCode,
        i.Address,
        i.Phone,
        i.OpenedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        i.Status,
        [.. i.Channels.Select(WireName)],
        [.. i.Services],
        i.IsSample);

    /// <summary>An undefined enum value keeps its number, so the check reports it instead of crashing.</summary>
    private static string WireName<TEnum>(TEnum value)
        where TEnum : struct, Enum => Enum.IsDefined(value) ? KebabCase.Name(value) : value.ToString();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^[0-9+()\- ]{5,32}$")]
    private static partial Regex PhonePattern();

    private sealed record InstitutionFile(bool Sample, string? Notice, IReadOnlyList<InstitutionEntry?>? Institutions);

    private sealed record InstitutionEntry(
        string? Id,
        string? Name,
        string? Kind,
        string? Category,
        string? Rank,
        string? CityCode,
        string? CountyCode,
        string? Address,
        string? Phone,
        string? OpenedOn,
        string? Status,
        IReadOnlyList<string?>? Channels,
        IReadOnlyList<string?>? Services,
        bool IsSample);
}
