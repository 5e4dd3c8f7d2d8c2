using Evaluation.Contracts.Reports;
using Evaluation.Domain.Measures;

namespace Evaluation.Domain.Reports;

/// <summary>The service items (事项) with the most 差评 in a scope and month, for the report's problem list.</summary>
public static class ProblemItems
{
    public const int Top = 10;

    /// <summary>
    /// The items with at least one 差评, worst first by 差评率 smoothed toward the scope's own 差评率 with the weight of
    /// <see cref="MeasureSettings.PriorStrength"/> ratings, as satisfaction scores are smoothed: an item with three
    /// ratings, two of them bad, ranks below one with sixty ratings and twenty bad. Ties: more 差评, then by code.
    /// </summary>
    public static IReadOnlyList<ProblemItemRow> Rank(
        IEnumerable<(string Code, string Name, long[] Levels)> items, MeasureSettings settings, int top = Top)
    {
        var counted = items
            .Select(i => (i.Code, i.Name, Ratings: i.Levels.Sum(), Bad: i.Levels[0] + i.Levels[1]))
            .Where(i => i.Ratings > 0)
            .ToList();
        var ratings = counted.Sum(i => i.Ratings);
        var scopeRate = ratings == 0 ? 0 : (double)counted.Sum(i => i.Bad) / ratings;
        var k = settings.PriorStrength;
        return counted
            .Where(i => i.Bad > 0)
            .Select(i => new ProblemItemRow(i.Code, i.Name, i.Ratings, i.Bad, (double)i.Bad / i.Ratings, (i.Bad + (k * scopeRate)) / (i.Ratings + k)))
            .OrderByDescending(i => i.SmoothedBadRate)
            .ThenByDescending(i => i.Bad)
            .ThenBy(i => i.ServiceItem, StringComparer.Ordinal)
            .Take(top)
            .ToList();
    }
}
