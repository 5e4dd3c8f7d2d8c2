using System.Collections.Concurrent;
using Evaluation.Contracts.Ingestion;
using Evaluation.Grains.Cases;

namespace Evaluation.Grains.EventLog;

/// <summary>
/// The event log for <c>--in-memory</c> mode: the same contract as the PostgreSQL log within one
/// silo process, and nothing survives the process.
/// </summary>
public sealed class InMemoryEventLog(InMemoryFollowUpStore followUps) : IEventLog
{
    private readonly Lock gate = new();
    private readonly HashSet<string> claimedKeys = [];
    private readonly ConcurrentDictionary<string, List<LoggedEvent>> byInstitution = new();

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

            for (var i = 0; i < events.Count; i++)
            {
                var e = events[i];
                if (!claimedKeys.Add(e.DedupKey))
                {
                    continue;
                }

                var hadOpen = e.OpenKey is not null && !claimedKeys.Add(e.OpenKey);
                var log = byInstitution.GetOrAdd(e.InstitutionId, _ => []);
                var logged = e.ToLogged(log.Count + 1, hadOpen);
                log.Add(logged);
                if (e.OpensFollowUp is { } followUp)
                {
                    followUps.Open(followUp);
                }

                if (e.SavesFollowUp is { } saved)
                {
                    followUps.Save(saved);
                }

                outcomes[i] = new AppendOutcome(logged);
            }
        }

        return Task.FromResult<IReadOnlyList<AppendOutcome>>(outcomes);
    }

    public Task<IReadOnlyList<LoggedEvent>> ReadAsync(string institutionId, long afterPosition, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            IReadOnlyList<LoggedEvent> events = byInstitution.TryGetValue(institutionId, out var log)
                ? log.Skip((int)afterPosition).ToList()
                : [];
            return Task.FromResult(events);
        }
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
}
