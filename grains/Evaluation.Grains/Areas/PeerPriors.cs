using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Measures;

namespace Evaluation.Grains.Areas;

/// <summary>Builds the table of peer priors from the recent level counts the cities report.</summary>
public static class PeerPriors
{
    public static PeerPriorTable Build(IEnumerable<(Region? Region, IReadOnlyDictionary<InstitutionKind, long[]> LevelsByKind)> cities)
    {
        var byGroup = new Dictionary<string, List<long[]>>();
        var byRegion = new Dictionary<Region, List<long[]>>();
        var province = new List<long[]>();
        foreach (var (region, levelsByKind) in cities)
        {
            foreach (var (kind, levels) in levelsByKind)
            {
                province.Add(levels);
                if (region is { } r)
                {
                    Members(byRegion, r).Add(levels);
                    Members(byGroup, PeerPriorTable.KeyOf(kind, r)).Add(levels);
                }
            }
        }

        return new PeerPriorTable(
            byGroup.ToDictionary(g => g.Key, g => MeasureCalculator.PriorFrom(g.Value)),
            byRegion.ToDictionary(g => g.Key, g => MeasureCalculator.PriorFrom(g.Value)),
            MeasureCalculator.PriorFrom(province));
    }

    private static List<long[]> Members<TKey>(Dictionary<TKey, List<long[]>> table, TKey key)
        where TKey : notnull
    {
        if (!table.TryGetValue(key, out var members))
        {
            table[key] = members = [];
        }

        return members;
    }
}
