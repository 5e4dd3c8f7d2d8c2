using Evaluation.Contracts.Detection;
using Evaluation.Contracts.Measures;
using Evaluation.Domain.Measures;

namespace Evaluation.Detection;

/// <summary>
/// Adds to a flag raised on an institution's ratings what its 差评 are about (<see cref="Explanations.Topics"/>), from
/// the comment topics of its aggregate: over the last 7 days when they hold enough 差评 read for topics (a wave shows
/// there first), else over 30.
/// </summary>
public static class TopicLines
{
    /// <summary>Fewer 差评 than this say nothing about where they concentrate.</summary>
    public const int MinRead = 3;

    private static readonly HashSet<AlertReason> RatingReasons = [AlertReason.LowSatisfaction, AlertReason.SuddenDrop];

    public static Signal Annotate(Signal signal, IReadOnlyDictionary<string, AggregateData> aggregates, DateOnly today) =>
        RatingReasons.Contains(signal.Reason) && aggregates.TryGetValue(signal.InstitutionId, out var aggregate)
            ? Annotate(signal, TopicMeasures.Summarize(aggregate, today))
            : signal;

    /// <summary>The same from the topics the institution's grain summarized with its feature inputs.</summary>
    public static Signal Annotate(Signal signal, IReadOnlyDictionary<string, FeatureInputs> inputs) =>
        RatingReasons.Contains(signal.Reason) && inputs.TryGetValue(signal.InstitutionId, out var institution)
            ? Annotate(signal, institution.Topics)
            : signal;

    private static Signal Annotate(Signal signal, TopicSummary summary)
    {
        var window = summary.BadD7 >= MinRead ? FeatureWindow.Days7 : FeatureWindow.Days30;
        return summary.BadD30 >= MinRead && Explanations.Topics(summary, window) is { } line
            ? signal with { Explanation = [.. signal.Explanation, line] }
            : signal;
    }
}
