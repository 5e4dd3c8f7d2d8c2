using System.Data.Common;
using Evaluation.Contracts.Cases;
using Evaluation.Contracts.Grains;
using Evaluation.Contracts.Ingestion;
using Evaluation.Domain.Cases;
using Evaluation.Grains.Areas;
using Evaluation.Grains.EventLog;
using Evaluation.Grains.Ingestion;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Evaluation.Grains.Cases;

[GenerateSerializer, Alias("FollowUpGrainState")]
public sealed class FollowUpGrainState
{
    [Id(0)]
    public FollowUp? FollowUp { get; set; }

    /// <summary>What an exclusion event must repeat to undo the rating's count.</summary>
    [Id(1)]
    public FollowUpOpening? Opening { get; set; }
}

/// <summary>
/// The follow-up of one 差评: applies <see cref="FollowUpRules"/>, keeps the city's index current, and on an
/// upheld appeal appends the exclusion event to the log (once, by its key), which every aggregate then applies.
/// </summary>
public sealed class FollowUpGrain(
    [PersistentState("follow-up", GrainStorage.Checkpoints)] IPersistentState<FollowUpGrainState> state,
    FollowUpRules rules,
    ContactSealer sealer,
    IEventLog log,
    [FromKeyedServices(CaseClock.Key)] TimeProvider time,
    ILogger<FollowUpGrain> logger) : Grain, IFollowUpGrain
{
    public async Task Open(FollowUpOpening opening)
    {
        if (state.State.FollowUp is not null)
        {
            return;
        }

        state.State.Opening = opening;
        await SaveAsync(rules.Open(opening, time.GetUtcNow()));
    }

    public async Task<FollowUp> Act(FollowUpCommand command)
    {
        var current = state.State.FollowUp ?? throw new AuditRefusedException($"no follow-up has the id '{this.GetPrimaryKeyString()}'");
        var next = rules.Apply(current, command, time.GetUtcNow());
        if (next.State == FollowUpState.Excluded)
        {
            await ExcludeAsync(state.State.Opening!);
        }

        await SaveAsync(next);
        return next;
    }

    public Task<FollowUp?> Get() => Task.FromResult(state.State.FollowUp);

    public Task<Contact?> GetContact() =>
        Task.FromResult(state.State.Opening?.ContactSealed is { } sealedContact ? sealer.Open(sealedContact) : null);

    /// <summary>Logged before the state is saved: a retry after a failure finds the key claimed and logs nothing twice.</summary>
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

    private async Task SaveAsync(FollowUp next)
    {
        state.State.FollowUp = next;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IFollowUpIndexGrain>(next.CityCode).Upsert(next);
    }
}
