using System.Data.Common;
using Evaluation.Contracts.Cases;
using Evaluation.Contracts.Grains;
using Evaluation.Contracts.Ingestion;
using Evaluation.Domain.Calendar;
using Evaluation.Domain.Cases;
using Evaluation.Domain.Comments;
using Evaluation.Domain.Ingestion;
using Evaluation.Grains.Cases;
using Evaluation.Grains.EventLog;
using Evaluation.Grains.Registry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Concurrency;

namespace Evaluation.Grains.Ingestion;

/// <summary>
/// Validates a batch, commits the valid items (and the follow-ups of new 差评) to the log in one transaction
/// and only then answers, so an acknowledged item is never lost. Committed events are handed to their
/// institutions right away; an institution that misses a hand-over reads the log itself.
/// </summary>
[StatelessWorker]
public sealed class IngestGrain(
    IEventLog log,
    RegistryCache registry,
    WorkingCalendar calendar,
    ContactSealer sealer,
    FollowUpRules followUpRules,
    TimeProvider time,
    [FromKeyedServices(CaseClock.Key)] TimeProvider caseTime,
    ILogger<IngestGrain> logger) : Grain, IIngestGrain
{
    public Task<IReadOnlyList<ItemResult>> IngestEvaluations(IReadOnlyList<EvaluationInput> items) =>
        IngestAsync(items, item => item.Id, (rules, item, index, now, errors) =>
            rules.Validate(item, index, now, errors) is { } valid ? ToEvent(item, valid) : null);

    public Task<IReadOnlyList<ItemResult>> IngestServiceRecords(IReadOnlyList<ServiceRecordInput> items) =>
        IngestAsync(items, item => item.Id, (rules, item, index, now, errors) =>
            rules.Validate(item, index, now, errors) is { } valid ? ToEvent(item, valid) : null);

    private delegate PendingEvent? Validator<in T>(IngestionRules rules, T item, int index, DateTimeOffset now, List<FieldError> errors);

    private async Task<IReadOnlyList<ItemResult>> IngestAsync<T>(IReadOnlyList<T> items, Func<T, string?> idOf, Validator<T> validate)
    {
        var current = await registry.GetAsync();
        var rules = new IngestionRules(current, calendar);
        var now = time.GetUtcNow();
        var results = new ItemResult[items.Count];
        var pending = new List<(int Index, PendingEvent Event)>();
        var keysInBatch = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var errors = new List<FieldError>();
            var valid = validate(rules, items[i], i, now, errors);
            if (valid is null)
            {
                results[i] = new ItemResult(idOf(items[i]), ItemStatus.Rejected, errors);
            }
            else if (!keysInBatch.Add(valid.DedupKey))
            {
                results[i] = new ItemResult(idOf(items[i]), ItemStatus.Duplicate, []);
            }
            else
            {
                pending.Add((i, valid));
            }
        }

        IReadOnlyList<AppendOutcome> outcomes;
        try
        {
            outcomes = await log.AppendAsync(pending.Select(p => p.Event).ToList());
        }
        catch (DbException ex) when (ex.IsTransient || ex is NpgsqlException { InnerException: IOException or System.Net.Sockets.SocketException or TimeoutException })
        {
            // Database exceptions do not cross silo boundaries; say what happened in a type that does.
            logger.LogWarning(ex, "Appending {Count} events to the log failed", pending.Count);
            throw new LogUnavailableException($"The event log is unavailable ({ex.GetType().Name}); nothing of this batch was stored.");
        }
        catch (DbException ex)
        {
            // Not an outage but a fault of ours (validation let something through the database refuses).
            logger.LogError(ex, "The log refused a batch of {Count} validated events", pending.Count);
            throw new InvalidOperationException($"The event log refused the batch ({ex.Message}); nothing of it was stored.");
        }
        var delivered = new Dictionary<string, List<LoggedEvent>>();
        for (var p = 0; p < pending.Count; p++)
        {
            var (index, e) = pending[p];
            if (outcomes[p].Logged is { } logged)
            {
                results[index] = new ItemResult(idOf(items[index]), ItemStatus.Accepted, []);
                (delivered.TryGetValue(e.InstitutionId, out var list) ? list : delivered[e.InstitutionId] = []).Add(logged);
            }
            else
            {
                results[index] = new ItemResult(idOf(items[index]), ItemStatus.Duplicate, []);
            }
        }

        await DeliverAsync(delivered);
        return results;
    }

    private async Task DeliverAsync(Dictionary<string, List<LoggedEvent>> delivered)
    {
        try
        {
            await Task.WhenAll(delivered.Select(d => GrainFactory.GetGrain<IInstitutionGrain>(d.Key).Apply(d.Value)));
        }
        catch (Exception ex)
        {
            // The events are committed; the institution catches up from the log on its own.
            logger.LogWarning(ex, "Handing committed events to {Count} institutions failed; they will catch up from the log", delivered.Count);
        }
    }

    private PendingEvent ToEvent(EvaluationInput item, ValidItem valid)
    {
        // Personal numbers leave free text here, before the log, the follow-up or anything else holds it (PIPL);
        // topics are read from the redacted text, as an exclusion later reads them from the follow-up's.
        item = item with { Comment = CommentRedaction.Redact(item.Comment), Tags = item.Tags?.Select(tag => CommentRedaction.Redact(tag)!).ToList() };
        var level = (byte)item.Level!.Value;
        // Only a 差评 is called back, so only its follow-up keeps the contact; any other rating's is not stored at all.
        var bad = FollowUpRules.IsBad(level);
        var contactSealed = bad && item.RealName && item.Contact is { } contact ? sealer.Seal(contact, item.Id!) : null;
        var followUp = bad ? OpenFollowUp(new FollowUpOpening(
            item.Id!, valid.Institution.Id, valid.Institution.CityCode, valid.ServiceItem.Code, valid.Channel, valid.ServiceItem.Domain,
            valid.Day, item.OccurredAt!.Value, level, item.Tags ?? [], item.Comment, item.RealName, contactSealed)) : null;
        return new(
            DedupKey: DedupKeys.Of(item),
            OpenKey: null,
            InstitutionId: valid.Institution.Id,
            Kind: LoggedEventKind.Evaluation,
            SourceId: item.Id!,
            ServiceItem: valid.ServiceItem.Code,
            Channel: valid.Channel,
            Domain: valid.ServiceItem.Domain,
            Day: valid.Day,
            OccurredAt: item.OccurredAt!.Value,
            Level: level,
            Tags: item.Tags,
            Comment: item.Comment,
            RealName: item.RealName,
            ContactSealed: contactSealed,
            OpensFollowUp: followUp,
            Topics: bad ? CommentTopics.Of(level, item.Tags, item.Comment) : null);
    }

    /// <summary>Every 差评 opens a follow-up for the institution's city (SPEC 3.4), stored by the log with the rating.</summary>
    private StoredFollowUp OpenFollowUp(FollowUpOpening opening) => new(followUpRules.Open(opening, caseTime.GetUtcNow()), opening);

    private PendingEvent ToEvent(ServiceRecordInput item, ValidItem valid)
    {
        var accepted = item.AcceptedAt!.Value;
        var completed = item.CompletedAt;
        return new PendingEvent(
            DedupKey: DedupKeys.Of(item),
            OpenKey: completed is null ? null : DedupKeys.OpenOf(item),
            InstitutionId: valid.Institution.Id,
            Kind: completed is null ? LoggedEventKind.ServiceOpened : LoggedEventKind.ServiceCompleted,
            SourceId: item.Id!,
            ServiceItem: valid.ServiceItem.Code,
            Channel: valid.Channel,
            Domain: valid.ServiceItem.Domain,
            Day: valid.Day,
            OccurredAt: completed ?? accepted,
            AcceptedAt: accepted,
            CompletedAt: completed,
            OnTime: completed is { } done && calendar.IsOnTime(accepted, done, valid.ServiceItem.TimeLimit),
            HandlingHours: completed is { } end ? (end - accepted).TotalHours : 0);
    }
}
