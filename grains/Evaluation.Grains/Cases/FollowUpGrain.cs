using System.Data.Common;
using Evaluation.Contracts.Cases;
using Evaluation.Contracts.Grains;
using Evaluation.Contracts.Ingestion;
using Evaluation.Domain.Cases;
using Evaluation.Grains.EventLog;
using Evaluation.Grains.Ingestion;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Evaluation.Grains.Cases;

/// <summary>
/// The follow-up of one 差评: applies <see cref="FollowUpRules"/> one step at a time. A step the handling measures
/// count (call-back, rectification, appeal and its decision, a passed deadline) is logged and saved in one
/// transaction, then handed to the institution, so the measures equal a recomputation over the log after any
/// crash; plans and feedback are only saved. The follow-up itself was opened by the log together with its rating.
/// </summary>
public sealed class FollowUpGrain(
    IFollowUpStore store,
    FollowUpRules rules,
    ContactSealer sealer,
    IEventLog log,
    [FromKeyedServices(CaseClock.Key)] TimeProvider time,
    ILogger<FollowUpGrain> logger) : Grain, IFollowUpGrain
{
    private StoredFollowUp? stored;

    public async Task<FollowUp> Act(FollowUpCommand command)
    {
        var current = await CurrentAsync() ?? throw new AuditRefusedException($"no follow-up has the id '{this.GetPrimaryKeyString()}'");
        return await SaveAsync(current, rules.Take(current.FollowUp, command, time.GetUtcNow()));
    }

    public async Task<bool> NoteOverdue()
    {
        if (await CurrentAsync() is not { } current || FollowUpRules.NoteOverdue(current.FollowUp, time.GetUtcNow()) is not { } change)
        {
            return false;
        }

        await SaveAsync(current, change);
        return true;
    }

    public async Task<FollowUp?> Get() => (await CurrentAsync())?.FollowUp;

    public async Task<Contact?> RevealContact(Actor actor)
    {
        // Read afresh, never from this activation's copy: the contact may have been erased or sealed again meanwhile.
        if (await store.FindAsync(this.GetPrimaryKeyString()) is not { Opening.ContactSealed: { } sealedContact } current)
        {
            return null;
        }

        // Recorded before the contact leaves: a reveal that cannot be recorded does not happen.
        var f = current.FollowUp;
        await store.RecordRevealAsync(new ContactReveal(f.Id, f.CityCode, f.InstitutionId, actor.Name, actor.Role, time.GetUtcNow()));
        return sealer.Open(sealedContact, f.Id);
    }

    // A follow-up not found yet is looked up again next time: its rating may be committing right now.
    private async Task<StoredFollowUp?> CurrentAsync() => stored ??= await store.FindAsync(this.GetPrimaryKeyString());

    private async Task<FollowUp> SaveAsync(StoredFollowUp current, FollowUpChange change)
    {
        var revision = current.FollowUp.History.Count;
        bool saved;
        try
        {
            saved = change.Logged.Count == 0
                ? await store.SaveAsync(change.Next, revision)
                : await LogAsync(current.Opening, change, revision);
        }
        catch (FollowUpConflictException)
        {
            saved = false;
        }

        if (!saved)
        {
            // Only a second activation during a cluster change can get here; make the caller look again.
            stored = null;
            throw new AuditRefusedException("the follow-up changed meanwhile; reload it and try again");
        }

        stored = current with { FollowUp = change.Next };
        return change.Next;
    }

    /// <summary>Logs the step's events with the save riding on the last one; false when they were logged before.</summary>
    private async Task<bool> LogAsync(FollowUpOpening o, FollowUpChange change, int revision)
    {
        var events = change.Logged.Select((entry, i) => new PendingEvent(
            entry.Key, null, o.InstitutionId, entry.Kind, o.EvaluationId, o.ServiceItem, o.Channel, o.Domain, o.Day, o.OccurredAt, o.Level,
            OnTime: entry.OnTime, LeftOverdue: entry.LeftOverdue,
            SavesFollowUp: i == change.Logged.Count - 1 ? change.Next : null, SavesOverRevision: revision, Verified: o.Verified)).ToList();
        IReadOnlyList<AppendOutcome> outcomes;
        try
        {
            outcomes = await log.AppendAsync(events);
        }
        catch (DbException ex)
        {
            logger.LogWarning(ex, "Logging a step of follow-up {Id} failed", o.EvaluationId);
            throw new LogUnavailableException($"The event log is unavailable ({ex.GetType().Name}); the step was not taken.");
        }

        if (outcomes[^1].IsDuplicate)
        {
            // An operator's exclusion of the rating's source may have excluded it already: the appeal is still decided.
            return change.Logged[^1].Kind == LoggedEventKind.EvaluationExcluded && await store.SaveAsync(change.Next, revision);
        }

        try
        {
            await GrainFactory.GetGrain<IInstitutionGrain>(o.InstitutionId).Apply([.. outcomes.Where(x => x.Logged is not null).Select(x => x.Logged!)]);
        }
        catch (Exception ex)
        {
            // Committed; the institution catches up from the log on its own.
            logger.LogWarning(ex, "Handing a step of follow-up {Id} to its institution failed", o.EvaluationId);
        }

        return true;
    }
}
