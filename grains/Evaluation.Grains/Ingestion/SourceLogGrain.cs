using System.Data.Common;
using Evaluation.Contracts.Grains;
using Evaluation.Contracts.Ingestion;
using Evaluation.Domain.Ingestion;
using Evaluation.Grains.EventLog;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace Evaluation.Grains.Ingestion;

/// <summary>
/// An operator's look at one rating source: what it sent in a time range, and the exclusion of its ratings. An
/// exclusion is an event per rating under the rating's exclusion key, the key an upheld appeal claims too, so a
/// rating stops counting once however often and by whichever way it is excluded; nothing is deleted.
/// </summary>
[StatelessWorker]
public sealed class SourceLogGrain(IEventLog log, ILogger<SourceLogGrain> logger) : Grain, ISourceLogGrain
{
    /// <summary>Ratings excluded per append: one transaction each, small enough not to hold institutions long.</summary>
    private const int ExclusionBatch = 1000;

    public async Task<SourcedEventPage> List(string source, DateTimeOffset from, DateTimeOffset to, int page, int pageSize)
    {
        var events = await log.ListBySourceAsync(source, from, to, null, (page - 1) * pageSize, pageSize);
        var excluded = await log.ClaimedAsync([.. events.Where(IsRating).Select(ExclusionKey)]);
        var items = events.Select(e => new SourcedEvent(
            e.Id, e.Kind, e.InstitutionId, e.ServiceItem, e.Channel, e.OccurredAt, e.ReceivedAt,
            IsRating(e) ? e.Level : null, e.ServiceRecordId, e.Verified, IsRating(e) && excluded.Contains(ExclusionKey(e)))).ToList();
        return new SourcedEventPage(items, await log.CountBySourceAsync(source, from, to));
    }

    public async Task<SourceExclusionResult> ExcludeRatings(string source, DateTimeOffset from, DateTimeOffset to)
    {
        int excluded = 0, already = 0;
        for (var offset = 0; ; offset += ExclusionBatch)
        {
            var ratings = await log.ListBySourceAsync(source, from, to, LoggedEventKind.Evaluation, offset, ExclusionBatch);
            if (ratings.Count == 0)
            {
                break;
            }

            var outcomes = await AppendAsync(ratings.Select(Exclusion).ToList());
            var delivery = new EventDelivery();
            for (var i = 0; i < ratings.Count; i++)
            {
                if (outcomes[i].Logged is { } logged)
                {
                    excluded++;
                    delivery.Add(ratings[i].InstitutionId, logged);
                }
                else
                {
                    already++;
                }
            }

            await delivery.DeliverAsync(GrainFactory, logger);
        }

        logger.LogInformation("Excluded {Excluded} ratings of source {Source} received from {From} to {To} ({Already} were excluded before)", excluded, source, from, to, already);
        return new SourceExclusionResult(excluded, already);
    }

    private static bool IsRating(SentEvent e) => e.Kind == LoggedEventKind.Evaluation;

    private static string ExclusionKey(SentEvent e) => DedupKeys.ExclusionOf(SourceNames.Qualify(e.Source, e.Id));

    /// <summary>Repeats what the rating counted under (day, channel, domain, level, verification), so it undoes exactly that.</summary>
    private static PendingEvent Exclusion(SentEvent rating) => new(
        ExclusionKey(rating), null, rating.InstitutionId, LoggedEventKind.EvaluationSourceExcluded, SourceNames.Qualify(rating.Source, rating.Id),
        rating.ServiceItem, rating.Channel, rating.Domain, rating.Day, rating.OccurredAt, rating.Level, Verified: rating.Verified);

    private async Task<IReadOnlyList<AppendOutcome>> AppendAsync(IReadOnlyList<PendingEvent> events)
    {
        try
        {
            return await log.AppendAsync(events);
        }
        catch (DbException ex)
        {
            logger.LogWarning(ex, "Logging {Count} exclusions failed", events.Count);
            throw new LogUnavailableException($"The event log is unavailable ({ex.GetType().Name}); the exclusions logged so far stay, call again to finish.");
        }
    }
}
