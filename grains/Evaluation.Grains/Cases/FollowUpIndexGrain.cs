using Evaluation.Contracts.Cases;
using Evaluation.Domain.Cases;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;

namespace Evaluation.Grains.Cases;

/// <summary>
/// One city's follow-ups for its console, who opened which contact, and its public 整改公示. Both are queries over the follow-up
/// store, so any silo answers them and nothing is held in memory.
/// </summary>
[StatelessWorker]
public sealed class FollowUpIndexGrain(IFollowUpStore store, [FromKeyedServices(CaseClock.Key)] TimeProvider time) : Grain, IFollowUpIndexGrain
{
    public Task<FollowUpPage> Query(FollowUpFilter filter) => store.QueryAsync(this.GetPrimaryKeyString(), filter, time.GetUtcNow());

    public Task<ContactRevealPage> QueryReveals(int page, int pageSize) => store.QueryRevealsAsync(this.GetPrimaryKeyString(), page, pageSize);

    public async Task<RectificationNotice> Rectification(string? institutionId)
    {
        var city = this.GetPrimaryKeyString();
        var now = time.GetUtcNow();
        var followUps = await store.RectifiedOrDecidedSinceAsync(city, institutionId, RectificationNotices.Since(now));
        return RectificationNotices.Build(city, institutionId, followUps, now);
    }
}
