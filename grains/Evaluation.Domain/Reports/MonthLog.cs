using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Measures;
using Evaluation.Domain.Registry;

namespace Evaluation.Domain.Reports;

/// <summary>
/// A month's logged events folded into aggregates by <see cref="Aggregation.Apply"/>, the same counting every
/// institution grain does: per institution, and per city and service item for the problem list.
/// </summary>
public sealed class MonthLog
{
    private readonly Dictionary<string, AggregateData> byInstitution = new(StringComparer.Ordinal);
    private readonly Dictionary<(string City, string Item), AggregateData> byCityAndItem = [];

    public void Apply(Institution institution, LoggedEvent logged)
    {
        Aggregation.Apply(Of(byInstitution, institution.Id), logged);
        if (logged.ServiceItem is { } item)
        {
            Aggregation.Apply(Of(byCityAndItem, (institution.CityCode, item)), logged);
        }
    }

    public AggregateData Institution(string id) => byInstitution.GetValueOrDefault(id) ?? new AggregateData();

    /// <summary>Ratings by level per service item over the given cities.</summary>
    public IEnumerable<(string Item, long[] Levels)> ItemLevels(IReadOnlySet<string> cities) =>
        byCityAndItem.Where(p => cities.Contains(p.Key.City))
            .GroupBy(p => p.Key.Item, StringComparer.Ordinal)
            .Select(g => (g.Key, Levels(Aggregation.Sum(g.Select(p => p.Value)))));

    /// <summary>Each city's ratings by level per institution kind: what peer priors are built from.</summary>
    public IEnumerable<(Region? Region, IReadOnlyDictionary<InstitutionKind, long[]> LevelsByKind)> LevelsByCityAndKind(InstitutionRegistry registry) =>
        registry.Divisions.Cities.Select(city => (
            city.Region,
            (IReadOnlyDictionary<InstitutionKind, long[]>)registry.InstitutionsOf(city.Code)
                .GroupBy(i => i.Kind)
                .ToDictionary(g => g.Key, g => Levels(Aggregation.Sum(g.Select(i => Institution(i.Id)))))));

    /// <summary>Ratings by level over every day of an aggregate (a month's aggregate holds only the month's days).</summary>
    public static long[] Levels(AggregateData data)
    {
        var levels = new long[5];
        foreach (var tally in data.Tallies.Values)
        {
            for (var level = 0; level < levels.Length; level++)
            {
                levels[level] += tally.Levels[level];
            }
        }

        return levels;
    }

    private static AggregateData Of<TKey>(Dictionary<TKey, AggregateData> table, TKey key)
        where TKey : notnull
    {
        if (!table.TryGetValue(key, out var data))
        {
            table[key] = data = new AggregateData();
        }

        return data;
    }
}
