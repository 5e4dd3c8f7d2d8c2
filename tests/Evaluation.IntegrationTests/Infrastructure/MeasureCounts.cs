using Evaluation.Contracts.Measures;

namespace Evaluation.IntegrationTests.Infrastructure;

/// <summary>
/// The counts of a published measure (ratings by level, services completed, opened and open, 差评 handling) by
/// window, which must equal those of a recomputation; the smoothed scores also depend on peer priors, so are left out.
/// </summary>
public static class MeasureCounts
{
    public static IEnumerable<string> Differences(AreaMeasures expected, AreaMeasures actual) =>
        Counts(expected).Except(Counts(actual)).Select(c => $"expected {c}, got {Counts(actual).FirstOrDefault(a => a.Split(':')[0] == c.Split(':')[0]) ?? "nothing"}");

    private static IEnumerable<string> Counts(AreaMeasures measures) =>
        measures.Scores.Select(s => $"{s.Key} ratings: {s.Value.Count} ({string.Join(',', s.Value.Levels)})")
            .Concat(measures.Service.Select(s => $"{s.Key} services: {s.Value.Completed} completed, {s.Value.Opened} opened, {s.Value.Backlog} open"))
            .Concat(measures.Handling.Select(h => $"{h.Key} handling: {h.Value}"));
}
