using Evaluation.Contracts.Cases;
using Evaluation.Domain.Cases;
using Evaluation.Grains.Areas;
using Microsoft.Extensions.DependencyInjection;

namespace Evaluation.Grains.Cases;

[GenerateSerializer, Alias("AuditIndexState")]
public sealed class AuditIndexState
{
    [Id(0)]
    public Dictionary<string, AuditSummary> Cases { get; set; } = [];
}

/// <summary>
/// The summaries of all audits in the province. Audits are opened by hand, a few hundred a year, so one
/// grain holds them all and answers every list and deadline view.
/// </summary>
public sealed class AuditIndexGrain(
    [PersistentState("audit-index", GrainStorage.Checkpoints)] IPersistentState<AuditIndexState> state,
    AuditRules rules,
    [FromKeyedServices(CaseClock.Key)] TimeProvider time) : Grain, IAuditIndexGrain
{
    public async Task Upsert(AuditSummary summary)
    {
        if (state.State.Cases.TryGetValue(summary.Id, out var known) && known == summary)
        {
            return;
        }

        state.State.Cases[summary.Id] = summary;
        await state.WriteStateAsync();
    }

    public Task<AuditPage> Query(AuditQuery query)
    {
        var now = time.GetUtcNow();
        var matching = state.State.Cases.Values
            .Where(c => query.State is null || c.State == query.State)
            .Where(c => query.City is null || c.CityCode == query.City)
            .Where(c => query.Overdue is null || AuditRules.IsOverdue(c.State, c.Deadline, now) == query.Overdue)
            .Where(c => query.DueWithinWorkingDays is not { } days || rules.IsDueSoon(c.State, c.Deadline, now, days))
            .OrderByDescending(c => AuditRules.IsOverdue(c.State, c.Deadline, now))
            .ThenBy(c => c.Deadline)
            .ThenBy(c => c.Id, StringComparer.Ordinal)
            .ToList();
        var items = matching.Skip((query.Page - 1) * query.PageSize).Take(query.PageSize).ToList();
        return Task.FromResult(new AuditPage(items, matching.Count, query.Page, query.PageSize));
    }
}
