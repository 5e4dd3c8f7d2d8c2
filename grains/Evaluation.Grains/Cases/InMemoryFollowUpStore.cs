using Evaluation.Contracts.Cases;
using Evaluation.Domain.Cases;

namespace Evaluation.Grains.Cases;

/// <summary>Follow-ups for <c>--in-memory</c> mode; the in-memory event log opens them as it logs their 差评.</summary>
public sealed class InMemoryFollowUpStore : IFollowUpStore
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, StoredFollowUp> followUps = [];

    /// <summary>Called by the in-memory log for a newly logged 差评; a second opening of the same rating changes nothing.</summary>
    public void Open(StoredFollowUp opened)
    {
        lock (gate)
        {
            followUps.TryAdd(opened.FollowUp.Id, opened);
        }
    }

    public Task<StoredFollowUp?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return Task.FromResult(followUps.GetValueOrDefault(id));
        }
    }

    public Task<bool> SaveAsync(FollowUp next, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            if (!followUps.TryGetValue(next.Id, out var stored) || stored.FollowUp.History.Count != next.History.Count - 1)
            {
                return Task.FromResult(false);
            }

            followUps[next.Id] = stored with { FollowUp = next };
            return Task.FromResult(true);
        }
    }

    public Task<FollowUpPage> QueryAsync(FollowUpQuery query, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            var matching = followUps.Values.Select(s => s.FollowUp)
                .Where(f => f.CityCode == query.CityCode)
                .Where(f => query.State is null || f.State == query.State)
                .Where(f => query.Overdue is null || FollowUpRules.IsOverdue(f, now) == query.Overdue)
                .OrderByDescending(f => f.OpenedAt)
                .ThenBy(f => f.Id, StringComparer.Ordinal)
                .ToList();
            return Task.FromResult(new FollowUpPage(
                [.. matching.Skip((query.Page - 1) * query.PageSize).Take(query.PageSize)], matching.Count, query.Page, query.PageSize));
        }
    }
}
