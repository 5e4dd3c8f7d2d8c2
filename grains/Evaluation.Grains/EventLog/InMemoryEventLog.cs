using System.Collections.Concurrent;
using Evaluation.Contracts.Ingestion;
using Evaluation.Grains.Cases;

namespace Evaluation.Grains.EventLog;

/// <summary>
/// The event log for <c>--in-memory</c> mode: the same contract as the PostgreSQL log within one
/// silo process, and nothing survives the process.
/// </summary>
public sealed class InMemoryEventLog(InMemoryFollowUpStore followUps, TimeProvider time) : IEventLog
{
    private readonly Lock gate = new();
    private readonly HashSet<string> claimedKeys = [];
    private readonly ConcurrentDictionary<string, List<LoggedEvent>> byInstitution = new();

    /// <summary>Service records by id: the institutions that handled one, and the day each completed it (if it did).</summary>
    private readonly Dictionary<string, Dictionary<string, DateOnly?>> records = [];
    private readonly List<SentEvent> sent = [];

    // The topics of each logged rating, by institution and reference (SourceNames.Qualify), for its exclusion, whose
    // source id is that reference (as the PostgreSQL log does).
    private readonly Dictionary<(string Institution, string Reference), IReadOnlyList<string>?> ratingTopics = [];

    public Task<IReadOnlyList<AppendOutcome>> AppendAsync(IReadOnlyList<PendingEvent> events, CancellationToken cancellationToken = default)
    {
        var outcomes = new AppendOutcome[events.Count];
        lock (gate)
        {
            // Like the database's transaction: a stale follow-up save logs nothing of the batch.
            if (events.FirstOrDefault(e => e.SavesFollowUp is not null && !claimedKeys.Contains(e.DedupKey) && !followUps.CanSave(e.SavesOverRevision, e.SavesFollowUp)) is { } stale)
            {
                throw new FollowUpConflictException(stale.SourceId);
            }

            var receivedAt = time.GetUtcNow();
            for (var i = 0; i < events.Count; i++)
            {
                outcomes[i] = Append(events[i], receivedAt);
            }
        }

        return Task.FromResult<IReadOnlyList<AppendOutcome>>(outcomes);
    }

    private AppendOutcome Append(PendingEvent e, DateTimeOffset receivedAt)
    {
        var verified = e.Verified;
        DateOnly? ratedDay = null;
        if (e.Kind == LoggedEventKind.Evaluation && e.ServiceRecordId is { } recordId && records.TryGetValue(recordId, out var handledBy))
        {
            verified = handledBy.TryGetValue(e.InstitutionId, out var completed);
            if (!verified)
            {
                return new AppendOutcome(null, handledBy.Keys.Min(StringComparer.Ordinal));
            }

            ratedDay = completed;
        }

        if (e.Kind == LoggedEventKind.ServiceCompleted && e.RecordKey is { } ratingKey && claimedKeys.Contains(ratingKey))
        {
            ratedDay = e.Day;
        }

        if (claimedKeys.Contains(e.DedupKey) || (e.Kind == LoggedEventKind.Evaluation && e.RecordKey is { } recordKey && !claimedKeys.Add(recordKey)))
        {
            return new AppendOutcome(null);
        }

        claimedKeys.Add(e.DedupKey);
        var hadOpen = e.OpenKey is not null && !claimedKeys.Add(e.OpenKey);
        var log = byInstitution.GetOrAdd(e.InstitutionId, _ => []);
        var topics = e.Kind switch
        {
            LoggedEventKind.EvaluationExcluded or LoggedEventKind.EvaluationSourceExcluded => ratingTopics.GetValueOrDefault((e.InstitutionId, e.SourceId)),
            _ => e.Topics,
        };
        var logged = e.ToLogged(log.Count + 1, hadOpen, verified, ratedDay, topics);
        log.Add(logged);
        if (e.Kind == LoggedEventKind.Evaluation)
        {
            ratingTopics.TryAdd((e.InstitutionId, SourceNames.Qualify(e.Source ?? SourceNames.Default, e.SourceId)), e.Topics);
        }

        if (e.Kind is LoggedEventKind.ServiceOpened or LoggedEventKind.ServiceCompleted)
        {
            var handled = records.TryGetValue(e.SourceId, out var known) ? known : records[e.SourceId] = [];
            handled[e.InstitutionId] = handled.GetValueOrDefault(e.InstitutionId) ?? (e.Kind == LoggedEventKind.ServiceCompleted ? e.Day : null);
        }

        if (e.Source is { } source)
        {
            sent.Add(new SentEvent(source, e.SourceId, e.Kind, e.InstitutionId, e.ServiceItem, e.Channel, e.Domain, e.Day, e.OccurredAt,
                receivedAt, e.Level, e.ServiceRecordId, verified));
        }

        if (e.OpensFollowUp is { } followUp)
        {
            followUps.Open(verified ? followUp with { Opening = followUp.Opening with { Verified = true } } : followUp);
        }

        if (e.SavesFollowUp is { } saved)
        {
            followUps.Save(saved);
        }

        return new AppendOutcome(logged);
    }

    public Task<long> ReadAsync(string institutionId, long afterPosition, long upToPosition, Action<LoggedEvent, long> each, CancellationToken cancellationToken = default)
    {
        List<LoggedEvent> events;
        lock (gate)
        {
            events = byInstitution.TryGetValue(institutionId, out var log)
                ? log.Skip((int)afterPosition).Take((int)Math.Max(0, upToPosition - afterPosition)).ToList()
                : [];
        }

        // Outside the lock: the caller's work must not hold up appends. Each on its own: memory has nothing to save.
        events.ForEach(e => each(e, 1));
        return Task.FromResult((long)events.Count);
    }

    public Task<IReadOnlyDictionary<string, long>> LastPositionsAsync(CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return Task.FromResult<IReadOnlyDictionary<string, long>>(byInstitution.ToDictionary(p => p.Key, p => (long)p.Value.Count));
        }
    }

    public Task<long> LastPositionAsync(string institutionId, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return Task.FromResult(byInstitution.TryGetValue(institutionId, out var log) ? (long)log.Count : 0L);
        }
    }

    public Task<IReadOnlyList<SentEvent>> ListBySourceAsync(
        string source, DateTimeOffset from, DateTimeOffset to, LoggedEventKind? kind, int offset, int limit, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            IReadOnlyList<SentEvent> page = [.. SentBy(source, from, to).Where(e => kind is null || e.Kind == kind).Skip(offset).Take(limit)];
            return Task.FromResult(page);
        }
    }

    public Task<long> CountBySourceAsync(string source, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return Task.FromResult((long)SentBy(source, from, to).Count());
        }
    }

    public Task<IReadOnlySet<string>> ClaimedAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            IReadOnlySet<string> claimed = keys.Where(claimedKeys.Contains).ToHashSet(StringComparer.Ordinal);
            return Task.FromResult(claimed);
        }
    }

    private IEnumerable<SentEvent> SentBy(string source, DateTimeOffset from, DateTimeOffset to) =>
        sent.Where(e => e.Source == source && e.ReceivedAt >= from && e.ReceivedAt < to);
}
