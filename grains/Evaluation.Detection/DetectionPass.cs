using Evaluation.Contracts.Measures;
using Evaluation.Domain.Registry;

namespace Evaluation.Detection;

/// <summary>One detection run as grains and the harness both do it: feature rows, scores, alert changes.</summary>
public static class DetectionPass
{
    public static IReadOnlyList<InstitutionFeatures> Features(
        InstitutionRegistry registry, IReadOnlyDictionary<string, AggregateData> aggregates, DateOnly today)
    {
        var empty = new AggregateData();
        return [.. registry.Institutions.Select(i => FeatureBuilder.Build(registry, i, aggregates.GetValueOrDefault(i.Id) ?? empty, today))];
    }

    public static (DetectionOutcome Outcome, AlertChanges Changes) Run(
        Detector detector, AlertBook book, IReadOnlyList<InstitutionFeatures> rows, SatisfactionModel? model, DateTimeOffset now)
    {
        var outcome = detector.Score(rows, model);
        return (outcome, book.Apply(outcome.Signals, now, ModelStamp.Of(model)));
    }
}
