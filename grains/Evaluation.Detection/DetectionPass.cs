using Evaluation.Contracts.Detection;
using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Calendar;
using Evaluation.Domain.Registry;

namespace Evaluation.Detection;

/// <summary>One detection run as grains and the harness both do it: feature rows, scores, alert changes.</summary>
public static class DetectionPass
{

    public static IReadOnlyList<InstitutionFeatures> Features(
        InstitutionRegistry registry, IReadOnlyDictionary<string, AggregateData> aggregates, DateOnly today)
    {
        var empty = new AggregateData();
        return Rows(registry, i => FeatureBuilder.Build(registry, i, aggregates.GetValueOrDefault(i.Id) ?? empty, today));
    }

    /// <summary>The rows of every registered institution from the inputs its grains computed (none yet: an empty row).</summary>
    public static IReadOnlyList<InstitutionFeatures> Features(
        InstitutionRegistry registry, IReadOnlyDictionary<string, FeatureInputs> inputs, DateOnly today)
    {
        var empty = FeatureBuilder.Inputs(new AggregateData(), today, 0);
        return Rows(registry, i => FeatureBuilder.Build(registry, i, inputs.GetValueOrDefault(i.Id) ?? empty));
    }

    /// <summary>Each row reads only its own institution's data: they are built on every core, in the registry's order.</summary>
    private static InstitutionFeatures[] Rows(InstitutionRegistry registry, Func<Institution, InstitutionFeatures> build)
    {
        var institutions = registry.Institutions;
        var rows = new InstitutionFeatures[institutions.Count];
        Parallel.For(0, rows.Length, i => rows[i] = build(institutions[i]));
        return rows;
    }

    /// <param name="caseSignals">Signals from cases and handling (<see cref="CaseSignals"/>, <see cref="HandlingComparison"/>),
    /// booked with the institutions' own so they dedupe and resolve alike.</param>
    /// <param name="judged">The reasons this run judged (see <see cref="AlertBook.Apply"/>); null for all.</param>
    /// <param name="annotate">Adds to a signal's explanation before it is booked (the comment topics, <see cref="TopicLines"/>).</param>
    public static (DetectionOutcome Outcome, AlertChanges Changes) Run(
        Detector detector,
        AlertBook book,
        IReadOnlyList<InstitutionFeatures> rows,
        SatisfactionModel? model,
        DateTimeOffset now,
        IReadOnlyList<Signal>? caseSignals = null,
        IReadOnlySet<AlertReason>? judged = null,
        Func<Signal, Signal>? annotate = null)
    {
        var outcome = detector.Score(rows, model, WorkingCalendar.ToLocalDate(now).ToDateOnly());
        var signals = annotate is null ? outcome.Signals : [.. outcome.Signals.Select(annotate)];
        return (outcome, book.Apply([.. signals, .. caseSignals ?? []], now, ModelStamp.Of(model), judged));
    }
}
