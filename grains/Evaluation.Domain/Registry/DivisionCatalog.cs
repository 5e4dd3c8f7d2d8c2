using System.Collections.Frozen;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Data;

namespace Evaluation.Domain.Registry;

/// <summary>
/// Guangdong's administrative divisions (GB/T 2260): the province, its prefecture cities and
/// their county-level divisions, with the plan's regions and city pairings.
/// </summary>
public sealed class DivisionCatalog
{
    private const string Header = "code,name,name_en,level,parent_code,region,mentor_city_code";

    private readonly FrozenDictionary<string, Division> byCode;
    private readonly FrozenDictionary<string, IReadOnlyList<Division>> countiesByCity;

    public DivisionCatalog(IEnumerable<Division> divisions)
    {
        All = [.. divisions];
        byCode = All.ToFrozenDictionary(d => d.Code, StringComparer.Ordinal);
        Province = All.Single(d => d.Level == DivisionLevel.Province);
        Cities = [.. All.Where(d => d.Level == DivisionLevel.City).OrderBy(d => d.Code, StringComparer.Ordinal)];
        Counties = [.. All.Where(d => d.Level == DivisionLevel.County).OrderBy(d => d.Code, StringComparer.Ordinal)];
        countiesByCity = Cities.ToFrozenDictionary(
            c => c.Code,
            c => (IReadOnlyList<Division>)[.. Counties.Where(k => k.ParentCode == c.Code)],
            StringComparer.Ordinal);

        // Everything else here assumes a strict province → city → county tree; a broken file should
        // fail loudly at start-up rather than misfile institutions later.
        foreach (var d in All.Where(d => d.Level != DivisionLevel.Province))
        {
            var parentLevel = d.Level == DivisionLevel.City ? DivisionLevel.Province : DivisionLevel.City;
            if (d.ParentCode is null || !byCode.TryGetValue(d.ParentCode, out var parent) || parent.Level != parentLevel)
                throw new InvalidDataException($"Division {d.Code} has no {parentLevel} parent.");
            if (d.Region is null)
                throw new InvalidDataException($"Division {d.Code} has no region.");
        }
        foreach (var city in Cities.Where(c => c.MentorCityCode is not null))
        {
            if (Find(city.MentorCityCode!)?.Level != DivisionLevel.City)
                throw new InvalidDataException($"City {city.Code} names an unknown mentor city {city.MentorCityCode}.");
        }
    }

    public Division Province { get; }

    public IReadOnlyList<Division> All { get; }

    /// <summary>The 21 prefecture cities, by code.</summary>
    public IReadOnlyList<Division> Cities { get; }

    /// <summary>Every county-level division (districts, counties, county-level cities), by code.</summary>
    public IReadOnlyList<Division> Counties { get; }

    /// <summary>The catalog shipped with the system.</summary>
    public static DivisionCatalog Load() => Parse(EmbeddedData.ReadText(EmbeddedData.Divisions));

    public static DivisionCatalog Parse(string csv)
    {
        var lines = csv.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0 || lines[0] != Header)
            throw new InvalidDataException($"Division file must start with the header '{Header}'.");
        return new DivisionCatalog(lines.Skip(1).Select((line, i) => ParseRow(line, i + 2)));
    }

    public Division? Find(string code) => byCode.GetValueOrDefault(code);

    public IReadOnlyList<Division> CountiesOf(string cityCode) => countiesByCity.GetValueOrDefault(cityCode) ?? [];

    /// <summary>The prefecture city a city or county code belongs to; null for the province or an unknown code.</summary>
    public Division? CityOf(string code) => Find(code) switch
    {
        { Level: DivisionLevel.City } city => city,
        { Level: DivisionLevel.County, ParentCode: { } parent } => Find(parent),
        _ => null,
    };

    public Region? RegionOf(string code) => CityOf(code)?.Region;

    /// <summary>The Pearl River Delta city paired with a city of the east, west or north to help it; null when none.</summary>
    public Division? MentorOf(string code) => CityOf(code)?.MentorCityCode is { } mentor ? Find(mentor) : null;

    private static Division ParseRow(string line, int lineNumber)
    {
        var f = line.Split(',');
        if (f.Length != 7)
            throw new InvalidDataException($"Division file line {lineNumber}: expected 7 fields, found {f.Length}.");
        if (!KebabCase.TryParse<DivisionLevel>(f[3], out var level))
            throw new InvalidDataException($"Division file line {lineNumber}: unknown level '{f[3]}'.");
        Region? region = null;
        if (f[5].Length > 0)
        {
            region = KebabCase.TryParse<Region>(f[5], out var r)
                ? r
                : throw new InvalidDataException($"Division file line {lineNumber}: unknown region '{f[5]}'.");
        }
        return new Division(f[0], f[1], f[2], level, NullIfEmpty(f[4]), region, NullIfEmpty(f[6]));
    }

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;
}
