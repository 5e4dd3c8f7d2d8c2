using Evaluation.Contracts.Ingestion;

namespace Evaluation.Domain.Ingestion;

/// <summary>
/// The keys under which the log claims an item once forever. They are stored with every logged event,
/// so a change of their shape would let every later re-send of an earlier item through as new. Ids are unique per
/// source (<see cref="SourceNames.Qualify"/>); the default source's keys keep the shape they had before sources had names.
/// </summary>
public static class DedupKeys
{
    public static string Of(string source, EvaluationInput item) => $"eval:{SourceNames.Qualify(source, item.Id!)}";

    /// <summary>A record sent open claims its open key; sent completed, its done key, whether or not it was open before.</summary>
    public static string Of(string source, ServiceRecordInput item) =>
        item.CompletedAt is null ? OpenOf(source, item) : $"rec:{SourceNames.Qualify(source, item.Id!)}:done";

    /// <summary>What a completion probes to learn whether the record ever entered the backlog.</summary>
    public static string OpenOf(string source, ServiceRecordInput item) => $"rec:{SourceNames.Qualify(source, item.Id!)}:open";

    /// <summary>
    /// 一事一评: the one rating a service record of an institution may have, whichever source sends it. A record is
    /// named by the id its own source gave it (a 办件 number), within its institution.
    /// </summary>
    public static string RatingOf(string institutionId, string serviceRecordId) => $"rated:{institutionId}:{serviceRecordId}";

    /// <summary>An exclusion of a rating, by appeal or by source: claimed once, so a rating never stops counting twice.</summary>
    public static string ExclusionOf(string ratingReference) => $"excl:{ratingReference}";
}
