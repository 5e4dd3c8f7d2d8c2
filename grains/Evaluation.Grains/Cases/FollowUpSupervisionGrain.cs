using Evaluation.Contracts.Cases;
using Evaluation.Domain.Cases;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace Evaluation.Grains.Cases;

/// <summary>
/// The province's view across cities: appeals awaiting a decision, contact reveals, and the overdue sweep that
/// notes every passed deadline (so the handling measures count it) before detection raises overdue alerts.
/// </summary>
[StatelessWorker(1)]
public sealed class FollowUpSupervisionGrain(
    IFollowUpStore store,
    ContactLifecycle contacts,
    CaseSettings settings,
    [FromKeyedServices(CaseClock.Key)] TimeProvider time,
    ILogger<FollowUpSupervisionGrain> logger) : Grain, IFollowUpSupervisionGrain
{
    // Bounds one sweep; a backlog larger than this is noted over the next sweeps.
    private const int SweepLimit = 2000;

    public Task<FollowUpPage> AppealsAwaiting(int page, int pageSize) =>
        store.QueryAsync(null, new FollowUpFilter(State: FollowUpState.Appealed, Order: FollowUpOrder.Newest, Page: page, PageSize: pageSize), time.GetUtcNow());

    public Task<ContactRevealPage> QueryReveals(string? cityCode, int page, int pageSize) => store.QueryRevealsAsync(cityCode, page, pageSize);

    public async Task<IReadOnlyList<OverdueFollowUps>> SweepOverdue(TimeSpan grace)
    {
        var now = time.GetUtcNow();
        foreach (var id in await store.OverdueUnnotedAsync(now, SweepLimit))
        {
            try
            {
                await GrainFactory.GetGrain<IFollowUpGrain>(id).NoteOverdue();
            }
            catch (Exception ex) when (ex is AuditRefusedException or Contracts.Ingestion.LogUnavailableException)
            {
                // Taken meanwhile, or the log is down: the next sweep looks again.
                logger.LogDebug(ex, "Could not note follow-up {Id} overdue; the next sweep retries", id);
            }
        }

        var erased = await contacts.EraseExpiredAsync(now);
        if (erased > 0)
        {
            logger.LogInformation("Erased the contacts of {Count} follow-ups closed more than {Days} days ago", erased, settings.ContactRetentionDays);
        }

        return await store.OverdueByInstitutionAsync(now - grace);
    }

    public async Task<int> ResealContacts()
    {
        var resealed = await contacts.ResealAsync();
        logger.LogInformation("Sealed {Count} contacts again with the current key", resealed);
        return resealed;
    }
}
