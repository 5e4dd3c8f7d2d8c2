using Evaluation.Domain.Cases;
using Evaluation.Grains.Ingestion;

namespace Evaluation.Grains.Cases;

/// <summary>
/// The lifetime of raters' contacts after they are stored with their follow-up: sealed again under the current key
/// after a rotation, and erased once their follow-up has been closed for the retention period.
/// </summary>
public sealed class ContactLifecycle(IFollowUpStore store, ContactSealer sealer, CaseSettings settings)
{
    private const int BatchSize = 1000;

    /// <summary>Seals every contact not under the current key with it; a contact changed or erased meanwhile is left as it is.</summary>
    public async Task<int> ResealAsync(CancellationToken cancellationToken = default)
    {
        var resealed = 0;
        while (await store.ContactsNotUnderKeyAsync(sealer.CurrentKeyId, BatchSize, cancellationToken) is { Count: > 0 } batch)
        {
            foreach (var contact in batch)
            {
                var replacement = sealer.Seal(sealer.Open(contact.Sealed, contact.FollowUpId), contact.FollowUpId);
                resealed += await store.ResealContactAsync(contact, replacement, cancellationToken) ? 1 : 0;
            }
        }

        return resealed;
    }

    public Task<int> EraseExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        store.EraseContactsAsync(now - TimeSpan.FromDays(settings.ContactRetentionDays), cancellationToken);
}
