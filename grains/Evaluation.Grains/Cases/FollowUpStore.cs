using System.Text.Json;
using Evaluation.Contracts.Cases;

namespace Evaluation.Grains.Cases;

/// <summary>A follow-up with what it was opened from (the contact still sealed).</summary>
public sealed record StoredFollowUp(FollowUp FollowUp, FollowUpOpening Opening);

/// <summary>
/// Where follow-ups live. They are opened by the event log, in the transaction that logs their 差评
/// (<see cref="EventLog.PendingEvent.OpensFollowUp"/>); steps that the handling measures count are saved by the
/// log too, in the transaction that logs them (<see cref="EventLog.PendingEvent.SavesFollowUp"/>); the follow-up
/// grain saves the other steps (plans, feedback) here.
/// </summary>
public interface IFollowUpStore
{
    Task<StoredFollowUp?> FindAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Saves the next step; false when the stored follow-up is no longer the one it was applied to.</summary>
    Task<bool> SaveAsync(FollowUp next, int overRevision, CancellationToken cancellationToken = default);

    /// <summary>Follow-ups of one city (or every city when null), filtered and ordered like <see cref="FollowUpFilter"/>.</summary>
    Task<FollowUpPage> QueryAsync(string? cityCode, FollowUpFilter filter, DateTimeOffset now, CancellationToken cancellationToken = default);

    Task RecordRevealAsync(ContactReveal reveal, CancellationToken cancellationToken = default);

    /// <summary>Contact reveals of one city (or every city when null), newest first.</summary>
    Task<ContactRevealPage> QueryRevealsAsync(string? cityCode, int page, int pageSize, CancellationToken cancellationToken = default);

    /// <summary>Ids of follow-ups whose stage deadline passed before <paramref name="now"/> and is not yet noted.</summary>
    Task<IReadOnlyList<string>> OverdueUnnotedAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Follow-ups of one city (and institution, when given) rectified, or with an appeal decided, at or after
    /// <paramref name="since"/>: what <see cref="Domain.Cases.RectificationNotices"/> counts.
    /// </summary>
    Task<IReadOnlyList<FollowUp>> RectifiedOrDecidedSinceAsync(
        string cityCode, string? institutionId, DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>Per institution, the follow-ups still in a stage whose deadline passed before <paramref name="dueBefore"/>.</summary>
    Task<IReadOnlyList<OverdueFollowUps>> OverdueByInstitutionAsync(DateTimeOffset dueBefore, CancellationToken cancellationToken = default);

    /// <summary>Stored contacts not sealed with the key <paramref name="keyId"/>, up to <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<SealedContact>> ContactsNotUnderKeyAsync(string keyId, int limit, CancellationToken cancellationToken = default);

    /// <summary>Replaces a contact's seal if it is still <see cref="SealedContact.Sealed"/>; false when it changed or was erased.</summary>
    Task<bool> ResealContactAsync(SealedContact current, byte[] replacement, CancellationToken cancellationToken = default);

    /// <summary>Erases the contacts of follow-ups closed before <paramref name="closedBefore"/>; answers how many.</summary>
    Task<int> EraseContactsAsync(DateTimeOffset closedBefore, CancellationToken cancellationToken = default);
}

/// <summary>One stored contact as sealed, with the follow-up it belongs to (its associated data).</summary>
public sealed record SealedContact(string FollowUpId, byte[] Sealed);

/// <summary>The JSON the PostgreSQL store keeps; the contact is left out of it (it has its own sealed column).</summary>
internal static class FollowUpDocuments
{
    public static string Write(FollowUp followUp) => JsonSerializer.Serialize(followUp);

    public static string Write(FollowUpOpening opening) => JsonSerializer.Serialize(opening with { ContactSealed = null });

    public static FollowUp ReadFollowUp(string json) =>
        JsonSerializer.Deserialize<FollowUp>(json) ?? throw new InvalidDataException("A stored follow-up is empty.");

    public static FollowUpOpening ReadOpening(string json, byte[]? contactSealed)
    {
        var opening = JsonSerializer.Deserialize<FollowUpOpening>(json) ?? throw new InvalidDataException("A stored follow-up opening is empty.");
        return opening with { ContactSealed = contactSealed };
    }
}
