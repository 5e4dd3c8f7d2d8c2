using Evaluation.Contracts.Cases;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;

namespace Evaluation.Grains.Cases;

/// <summary>
/// One city's follow-ups for its console: filter by state and overdue, newest first. The list is a query
/// over the follow-up store, so any silo answers it and nothing is held in memory.
/// </summary>
[StatelessWorker]
public sealed class FollowUpIndexGrain(IFollowUpStore store, [FromKeyedServices(CaseClock.Key)] TimeProvider time) : Grain, IFollowUpIndexGrain
{
    public Task<FollowUpPage> Query(FollowUpState? followUpState, bool? overdue, int page, int pageSize) =>
        store.QueryAsync(new FollowUpQuery(this.GetPrimaryKeyString(), followUpState, overdue, page, pageSize), time.GetUtcNow());
}
