using Evaluation.Contracts.Cases;
using Evaluation.Domain.Cases;
using Evaluation.Grains.Areas;
using Microsoft.Extensions.DependencyInjection;

namespace Evaluation.Grains.Cases;

[GenerateSerializer, Alias("FollowUpIndexState")]
public sealed class FollowUpIndexState
{
    [Id(0)]
    public Dictionary<string, FollowUp> FollowUps { get; set; } = [];
}

/// <summary>One city's follow-ups for its console: filter by state and overdue, newest first.</summary>
public sealed class FollowUpIndexGrain(
    [PersistentState("follow-up-index", GrainStorage.Checkpoints)] IPersistentState<FollowUpIndexState> state,
    [FromKeyedServices(CaseClock.Key)] TimeProvider time) : Grain, IFollowUpIndexGrain
{
    public async Task Upsert(FollowUp followUp)
    {
        if (state.State.FollowUps.TryGetValue(followUp.Id, out var known) && known.History.Count == followUp.History.Count)
        {
            return;
        }

        state.State.FollowUps[followUp.Id] = followUp;
        await state.WriteStateAsync();
    }

    public Task<FollowUpPage> Query(FollowUpState? followUpState, bool? overdue, int page, int pageSize)
    {
        var now = time.GetUtcNow();
        var matching = state.State.FollowUps.Values
            .Where(f => followUpState is null || f.State == followUpState)
            .Where(f => overdue is null || FollowUpRules.IsOverdue(f, now) == overdue)
            .OrderByDescending(f => f.OpenedAt)
            .ThenBy(f => f.Id, StringComparer.Ordinal)
            .ToList();
        return Task.FromResult(new FollowUpPage([.. matching.Skip((page - 1) * pageSize).Take(pageSize)], matching.Count, page, pageSize));
    }
}
