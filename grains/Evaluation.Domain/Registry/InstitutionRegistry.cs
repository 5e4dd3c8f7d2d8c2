using System.Collections.Frozen;
using Evaluation.Contracts.Grains;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Data;

namespace Evaluation.Domain.Registry;

/// <summary>Institutions that are compared with each other: the same kind in the same region.</summary>
public readonly record struct PeerGroup(InstitutionKind Kind, Region Region)
{
    /// <summary>A stable text key, e.g. <c>info-outlet/pearl-river-delta</c>.</summary>
    public override string ToString() => $"{KebabCase.Name(Kind)}/{KebabCase.Name(Region)}";
}

/// <summary>
/// An immutable, in-memory index of divisions, service items and institutions. Build a new one to
/// change anything; that keeps readers lock-free and a snapshot consistent.
/// </summary>
public sealed class InstitutionRegistry
{
    private readonly FrozenDictionary<string, Institution> byId;
    private readonly FrozenDictionary<string, IReadOnlyList<Institution>> byCity;

    /// <param name="institutions">Assumed already checked (<see cref="RegistryFile"/>); ids must be unique.</param>
    public InstitutionRegistry(
        DivisionCatalog divisions,
        ServiceItemCatalog serviceItems,
        IEnumerable<Institution> institutions,
        IEnumerable<string>? pilotCountyCodes = null)
    {
        Divisions = divisions;
        ServiceItems = serviceItems;
        Institutions = [.. institutions.OrderBy(i => i.Id, StringComparer.Ordinal)];
        byId = Institutions.ToFrozenDictionary(i => i.Id, StringComparer.Ordinal);
        byCity = Institutions
            .GroupBy(i => i.CityCode, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => (IReadOnlyList<Institution>)[.. g], StringComparer.Ordinal);
        PilotCountyCodes = (pilotCountyCodes ?? []).ToFrozenSet(StringComparer.Ordinal);
    }

    public DivisionCatalog Divisions { get; }

    public ServiceItemCatalog ServiceItems { get; }

    /// <summary>Every institution, by id.</summary>
    public IReadOnlyList<Institution> Institutions { get; }

    public IReadOnlySet<string> PilotCountyCodes { get; }

    /// <summary>The registry built from the data shipped with the system, sample institutions included.</summary>
    public static InstitutionRegistry LoadSample()
    {
        var divisions = DivisionCatalog.Load();
        var items = ServiceItemCatalog.Load();
        var file = RegistryFile.Parse(EmbeddedData.ReadText(EmbeddedData.SampleInstitutions), divisions, items);
        if (!file.IsValid)
        {
            var problems = string.Join("; ", file.Errors.Take(5).Select(e => $"{e.Field}: {e.Message}"));
            throw new InvalidDataException($"The embedded sample registry is invalid: {problems}");
        }
        return new InstitutionRegistry(divisions, items, file.Institutions, PilotCounties.LoadSample(divisions));
    }

    public Institution? Find(string id) => byId.GetValueOrDefault(id);

    public ServiceItem? FindItem(string code) => ServiceItems.Find(code);

    /// <summary>An item as it applies in a city: with the city's tighter time limit, or one only that city adds.</summary>
    public ServiceItem? FindItem(string code, string? cityCode) => ServiceItems.Find(code, cityCode);

    public IReadOnlyList<Institution> InstitutionsOf(string cityCode) => byCity.GetValueOrDefault(cityCode) ?? [];

    /// <summary>The published items of an institution as they apply in its city, in its own order; codes the catalog lacks are skipped.</summary>
    public IReadOnlyList<ServiceItem> ServicesOf(Institution institution) =>
        [.. institution.Services.Select(code => FindItem(code, institution.CityCode)).OfType<ServiceItem>()];

    /// <summary>Filters (null means "any"; text matches name or address case-insensitively) and one page; out-of-range pages are clamped.</summary>
    public InstitutionPage Search(InstitutionQuery query)
    {
        var text = string.IsNullOrWhiteSpace(query.Text) ? null : query.Text.Trim();
        var matches = (query.City is null ? Institutions : InstitutionsOf(query.City))
            .Where(i => query.County is null || i.CountyCode == query.County)
            .Where(i => query.Kind is null || i.Kind == query.Kind)
            .Where(i => query.Service is null || i.Services.Contains(query.Service))
            .Where(i => text is null
                || i.Name.Contains(text, StringComparison.OrdinalIgnoreCase)
                || i.Address.Contains(text, StringComparison.OrdinalIgnoreCase))
            .ToList();
        var pageSize = Math.Clamp(query.PageSize, 1, InstitutionQuery.MaxPageSize);
        var page = Math.Max(query.Page, 1);
        // Computed wide so an absurd page number gives an empty page, not an overflow back to page 1.
        var skip = (int)Math.Min((long)(page - 1) * pageSize, matches.Count);
        return new InstitutionPage(
            [.. matches.Skip(skip).Take(pageSize)],
            matches.Count,
            page,
            pageSize);
    }

    /// <summary>The group an institution's smoothed score shrinks toward and is ranked within.</summary>
    public PeerGroup PeerGroupOf(Institution institution) =>
        new(institution.Kind, Divisions.RegionOf(institution.CityCode)
            ?? throw new ArgumentException($"Institution {institution.Id} is in unknown city {institution.CityCode}.", nameof(institution)));
}
