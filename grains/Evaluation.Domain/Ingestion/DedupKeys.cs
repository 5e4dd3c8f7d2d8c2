using Evaluation.Contracts.Ingestion;

namespace Evaluation.Domain.Ingestion;

/// <summary>
/// The keys under which the log claims an item once forever. They are stored with every logged event,
/// so a change of their shape would let every later re-send of an earlier item through as new.
/// </summary>
public static class DedupKeys
{
    public static string Of(EvaluationInput item) => $"eval:{item.Id}";

    /// <summary>A record sent open claims its open key; sent completed, its done key, whether or not it was open before.</summary>
    public static string Of(ServiceRecordInput item) => item.CompletedAt is null ? OpenOf(item) : $"rec:{item.Id}:done";

    /// <summary>What a completion probes to learn whether the record ever entered the backlog.</summary>
    public static string OpenOf(ServiceRecordInput item) => $"rec:{item.Id}:open";
}
