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
using Evaluation.Grains.Hosting;
using Evaluation.Grains.Registry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace Evaluation.Grains.Ingestion;

/// <summary>
/// Validates a batch, commits the valid items (and the follow-ups of new 差评) to the log in one transaction
/// and only then answers, so an acknowledged item is never lost. Committed events are handed to their
/// institutions right away; an institution that misses a hand-over reads the log itself.
/// Up to <see cref="BatchesInFlight"/> batches per silo at once (Orleans' default is one per core): a batch spends most
/// of its time waiting on PostgreSQL, and the log pipelines concurrent batches (one copies and claims keys while another
/// holds the institutions' locks), which two at a time on a two-core host left idle.
/// </summary>
[StatelessWorker(BatchesInFlight)]
public sealed class IngestGrain(
    IEventLog log,
    RegistryCache registry,
    ContactSealer sealer,
    FollowUpRules followUpRules,
    TimeProvider time,
    [FromKeyedServices(CaseClock.Key)] TimeProvider caseTime,
    ILogger<IngestGrain> logger) : Grain, IIngestGrain
{
    private const int BatchesInFlight = 8;

    public Task<IReadOnlyList<ItemResult>> IngestEvaluations(SourceIdentity source, IReadOnlyList<EvaluationInput> items) =>
        IngestAsync(source, items, item => item.Id, (rules, item, index, now, errors) =>
            rules.Validate(item, index, now, errors) is { } valid ? ToEvent(source.Name, item, valid) : null);

    public Task<IReadOnlyList<ItemResult>> IngestServiceRecords(SourceIdentity source, IReadOnlyList<ServiceRecordInput> items) =>
        IngestAsync(source, items, item => item.Id, (rules, item, index, now, errors) =>
            rules.Validate(item, index, now, errors) is { } valid ? ToEvent(source.Name, item, valid, rules.Calendar) : null);

    private delegate PendingEvent? Validator<in T>(IngestionRules rules, T item, int index, DateTimeOffset now, List<FieldError> errors);

    private async Task<IReadOnlyList<ItemResult>> IngestAsync<T>(SourceIdentity source, IReadOnlyList<T> items, Func<T, string?> idOf, Validator<T> validate)
    {
        var current = await registry.GetAsync();
        var rules = new IngestionRules(current, await registry.GetCalendarAsync(), source);
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
            else if (!keysInBatch.Add(valid.DedupKey) || (valid.Kind == LoggedEventKind.Evaluation && valid.RecordKey is { } record && !keysInBatch.Add(record)))
            {
                // A second rating of one service record in the batch is a duplicate like a re-sent id.

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
        catch (DbException ex) when (DatabaseFaults.IsTransient(ex))
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
        var delivery = new EventDelivery();
        for (var p = 0; p < pending.Count; p++)
        {
            var (index, e) = pending[p];
            if (outcomes[p].Logged is { } logged)
            {
                results[index] = new ItemResult(idOf(items[index]), ItemStatus.Accepted, []);
                delivery.Add(e.InstitutionId, logged);
            }
            else if (outcomes[p].RecordOfInstitution is { } other)
            {
                results[index] = new ItemResult(idOf(items[index]), ItemStatus.Rejected, [new FieldError(
                    $"items[{index}].serviceRecordId",
                    $"service record '{e.ServiceRecordId}' was handled by institution '{other}', not '{e.InstitutionId}': a rating may name only a record of the institution it rates (一事一评)")]);
            }
            else
            {
                results[index] = new ItemResult(idOf(items[index]), ItemStatus.Duplicate, []);
            }
        }

        await delivery.DeliverAsync(GrainFactory, logger);
        return results;
    }

    private PendingEvent ToEvent(string source, EvaluationInput item, ValidItem valid)
    {
        // Personal numbers leave free text here, before the log, the follow-up or anything else holds it (PIPL);
        // topics are read from the redacted text, as an exclusion later reads them from the follow-up's.
        item = item with { Comment = CommentRedaction.Redact(item.Comment), Tags = item.Tags?.Select(tag => CommentRedaction.Redact(tag)!).ToList() };
        var level = (byte)item.Level!.Value;
        var reference = SourceNames.Qualify(source, item.Id!);

        // Only a 差评 is called back, so only its follow-up keeps the contact; any other rating's is not stored at all.
        var bad = FollowUpRules.IsBad(level);
        var contactSealed = bad && item.RealName && item.Contact is { } contact ? sealer.Seal(contact, reference) : null;
        var followUp = bad ? OpenFollowUp(new FollowUpOpening(
            reference, valid.Institution.Id, valid.Institution.CityCode, valid.ServiceItem.Code, valid.Channel, valid.ServiceItem.Domain,
            valid.Day, item.OccurredAt!.Value, level, item.Tags ?? [], item.Comment, item.RealName, contactSealed)) : null;
        return new(
            DedupKey: DedupKeys.Of(source, item),
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
            Source: source,
            ServiceRecordId: item.ServiceRecordId,
            RecordKey: item.ServiceRecordId is { } record ? DedupKeys.RatingOf(valid.Institution.Id, record) : null,

            Topics: bad ? CommentTopics.Of(level, item.Tags, item.Comment) : null);
    }

    /// <summary>Every 差评 opens a follow-up for the institution's city (SPEC 3.4), stored by the log with the rating.</summary>
    private StoredFollowUp OpenFollowUp(FollowUpOpening opening) => new(followUpRules.Open(opening, caseTime.GetUtcNow()), opening);

    /// <summary>On-time is decided here, with the limit and calendar in use at ingest, and logged: a later import never changes it.</summary>
    private PendingEvent ToEvent(string source, ServiceRecordInput item, ValidItem valid, WorkingCalendar calendar)
    {
        var accepted = item.AcceptedAt!.Value;
        var completed = item.CompletedAt;
        return new PendingEvent(
            DedupKey: DedupKeys.Of(source, item),
            OpenKey: completed is null ? null : DedupKeys.OpenOf(source, item),
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
            HandlingHours: completed is { } end ? (end - accepted).TotalHours : 0,
            Source: source,
            RecordKey: completed is null ? null : DedupKeys.RatingOf(valid.Institution.Id, item.Id!));
    }
}
