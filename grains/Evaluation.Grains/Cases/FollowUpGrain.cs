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
/// The follow-up of one 差评: applies <see cref="FollowUpRules"/> one step at a time and saves each step to the
/// store, and on an upheld appeal appends the exclusion event to the log (once, by its key), which every
/// aggregate then applies. The follow-up itself was opened by the log together with its rating.
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
        var next = rules.Apply(current.FollowUp, command, time.GetUtcNow());
        if (next.State == FollowUpState.Excluded)
        {
            await ExcludeAsync(current.Opening);
        }

        if (!await store.SaveAsync(next))
        {
            // Only a second activation during a cluster change can get here; make the caller look again.
            stored = null;
            throw new AuditRefusedException("the follow-up changed meanwhile; reload it and try again");
        }

        stored = current with { FollowUp = next };
        return next;
    }

    public async Task<FollowUp?> Get() => (await CurrentAsync())?.FollowUp;

    public async Task<Contact?> GetContact() =>
        (await CurrentAsync())?.Opening.ContactSealed is { } sealedContact ? sealer.Open(sealedContact) : null;

    // A follow-up not found yet is looked up again next time: its rating may be committing right now.
    private async Task<StoredFollowUp?> CurrentAsync() => stored ??= await store.FindAsync(this.GetPrimaryKeyString());

    /// <summary>Logged before the step is saved: a retry after a failure finds the key claimed and logs nothing twice.</summary>
    private async Task ExcludeAsync(FollowUpOpening o)
    {
        IReadOnlyList<AppendOutcome> outcomes;
        try
        {
            outcomes = await log.AppendAsync([new PendingEvent($"excl:{o.EvaluationId}", null, o.InstitutionId, LoggedEventKind.EvaluationExcluded,
                o.EvaluationId, o.ServiceItem, o.Channel, o.Domain, o.Day, o.OccurredAt, o.Level)]);
        }
        catch (DbException ex)
        {
            logger.LogWarning(ex, "Logging the exclusion of rating {Id} failed", o.EvaluationId);
            throw new LogUnavailableException($"The event log is unavailable ({ex.GetType().Name}); the appeal is not decided yet.");
        }

        if (outcomes[0].Logged is { } logged)
        {
            try
            {
                await GrainFactory.GetGrain<IInstitutionGrain>(o.InstitutionId).Apply([logged]);
            }
            catch (Exception ex)
            {
                // Committed; the institution catches up from the log on its own.
                logger.LogWarning(ex, "Handing the exclusion of rating {Id} to its institution failed", o.EvaluationId);
            }
        }
    }
}
