using Evaluation.Contracts.Cases;
using Evaluation.Domain.Cases;
using Evaluation.Grains.Ingestion;

namespace Evaluation.Grains.Cases;

/// <summary>Follow-ups for <c>--in-memory</c> mode; the in-memory event log opens them and saves counted steps.</summary>
public sealed class InMemoryFollowUpStore : IFollowUpStore
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, StoredFollowUp> followUps = [];
    private readonly List<ContactReveal> reveals = [];

    /// <summary>Called by the in-memory log for a newly logged 差评; a second opening of the same rating changes nothing.</summary>
    public void Open(StoredFollowUp opened)
    {
        lock (gate)
        {
            followUps.TryAdd(opened.FollowUp.Id, opened);
        }
    }

    public bool CanSave(int overRevision, FollowUp next)
    {
        lock (gate)
        {
            return followUps.TryGetValue(next.Id, out var stored) && stored.FollowUp.History.Count == overRevision;
        }
    }

    /// <summary>Called by the in-memory log, which checked <see cref="CanSave"/> under its own lock first.</summary>
    public void Save(FollowUp next)
    {
        lock (gate)
        {
            followUps[next.Id] = followUps[next.Id] with { FollowUp = next };
        }
    }

    public Task<StoredFollowUp?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return Task.FromResult(followUps.GetValueOrDefault(id));
        }
    }

    public Task<bool> SaveAsync(FollowUp next, int overRevision, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            if (!CanSave(overRevision, next))
            {
                return Task.FromResult(false);
            }

            Save(next);
            return Task.FromResult(true);
        }
    }

    public Task<FollowUpPage> QueryAsync(string? cityCode, FollowUpFilter filter, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            var matching = followUps.Values.Select(s => s.FollowUp)
                .Where(f => cityCode is null || f.CityCode == cityCode)
                .Where(f => filter.State is null || f.State == filter.State)
                .Where(f => filter.Overdue is null || f.IsOverdueAt(now) == filter.Overdue)
                .Where(f => filter.InstitutionId is null || f.InstitutionId == filter.InstitutionId)
                .Where(f => filter.ServiceItem is null || f.ServiceItem == filter.ServiceItem)
                .Where(f => filter.Channel is null || f.Channel == filter.Channel)
                .Where(f => filter.Level is null || f.Level == filter.Level)
                .Where(f => !filter.OpenOnly || f.State is not (FollowUpState.Closed or FollowUpState.Excluded));
            var ordered = filter.Order == FollowUpOrder.DueSoonest
                ? matching.OrderBy(f => f.DueAt is null).ThenBy(f => f.DueAt).ThenBy(f => f.OpenedAt).ThenBy(f => f.Id, StringComparer.Ordinal)
                : matching.OrderByDescending(f => f.OpenedAt).ThenBy(f => f.Id, StringComparer.Ordinal);
            var all = ordered.ToList();
            return Task.FromResult(new FollowUpPage(
                [.. all.Skip((filter.Page - 1) * filter.PageSize).Take(filter.PageSize)], all.Count, filter.Page, filter.PageSize));
        }
    }

    public Task RecordRevealAsync(ContactReveal reveal, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            reveals.Add(reveal);
            return Task.CompletedTask;
        }
    }

    public Task<ContactRevealPage> QueryRevealsAsync(string? cityCode, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            var matching = reveals.Where(r => cityCode is null || r.CityCode == cityCode).Reverse().ToList();
            return Task.FromResult(new ContactRevealPage([.. matching.Skip((page - 1) * pageSize).Take(pageSize)], matching.Count, page, pageSize));
        }
    }

    public Task<IReadOnlyList<string>> OverdueUnnotedAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            IReadOnlyList<string> ids = [.. followUps.Values.Select(s => s.FollowUp)
                .Where(f => f.IsOverdueAt(now) && !f.OverdueNoted).OrderBy(f => f.DueAt).Take(limit).Select(f => f.Id)];
            return Task.FromResult(ids);
        }
    }

    public Task<IReadOnlyList<SealedContact>> ContactsNotUnderKeyAsync(string keyId, int limit, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            IReadOnlyList<SealedContact> contacts = [.. followUps.Values
                .Where(s => s.Opening.ContactSealed is { } c && ContactSealer.KeyIdOf(c) != keyId)
                .OrderBy(s => s.FollowUp.Id, StringComparer.Ordinal).Take(limit)
                .Select(s => new SealedContact(s.FollowUp.Id, s.Opening.ContactSealed!))];
            return Task.FromResult(contacts);
        }
    }

    public Task<bool> ResealContactAsync(SealedContact current, byte[] replacement, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            if (!followUps.TryGetValue(current.FollowUpId, out var stored) || stored.Opening.ContactSealed is not { } c || !c.AsSpan().SequenceEqual(current.Sealed))
            {
                return Task.FromResult(false);
            }

            followUps[current.FollowUpId] = stored with { Opening = stored.Opening with { ContactSealed = replacement } };
            return Task.FromResult(true);
        }
    }

    public Task<int> EraseContactsAsync(DateTimeOffset closedBefore, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            var expired = followUps.Values.Where(s => s.Opening.ContactSealed is not null
                && s.FollowUp.State is FollowUpState.Closed or FollowUpState.Excluded && s.FollowUp.ClosedAt < closedBefore).ToList();
            foreach (var s in expired)
            {
                followUps[s.FollowUp.Id] = s with { Opening = s.Opening with { ContactSealed = null } };
            }

            return Task.FromResult(expired.Count);
        }
    }

    public Task<IReadOnlyList<FollowUp>> RectifiedOrDecidedSinceAsync(
        string cityCode, string? institutionId, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            IReadOnlyList<FollowUp> result = [.. followUps.Values.Select(s => s.FollowUp)
                .Where(f => f.CityCode == cityCode && (institutionId is null || f.InstitutionId == institutionId))
                .Where(f => f.RectifiedAt >= since || f.History.Any(e => e.Step is FollowUpStep.Uphold or FollowUpStep.Dismiss && e.At >= since))];
            return Task.FromResult(result);
        }
    }

    public Task<IReadOnlyList<OverdueFollowUps>> OverdueByInstitutionAsync(DateTimeOffset dueBefore, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            IReadOnlyList<OverdueFollowUps> result = [.. followUps.Values.Select(s => s.FollowUp)
                .Where(f => f.DueAt is { } due && due < dueBefore)
                .GroupBy(f => (f.InstitutionId, f.CityCode))
                .OrderBy(g => g.Key.InstitutionId, StringComparer.Ordinal)
                .Select(g => new OverdueFollowUps(g.Key.InstitutionId, g.Key.CityCode, g.Count(), g.Min(f => f.DueAt!.Value)))];
            return Task.FromResult(result);
        }
    }
}
