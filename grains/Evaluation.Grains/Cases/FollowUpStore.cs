using System.Text.Json;
using Evaluation.Contracts.Cases;

namespace Evaluation.Grains.Cases;

/// <summary>A follow-up with what it was opened from (the contact still sealed).</summary>
public sealed record StoredFollowUp(FollowUp FollowUp, FollowUpOpening Opening);

/// <summary>
/// Where follow-ups live. They are opened by the event log, in the transaction that logs their 差评
/// (<see cref="EventLog.PendingEvent.OpensFollowUp"/>); the follow-up grain saves each later step.
/// </summary>
public interface IFollowUpStore
{
    Task<StoredFollowUp?> FindAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Saves the next step; false when the stored follow-up is no longer the one it was applied to.</summary>
    Task<bool> SaveAsync(FollowUp next, CancellationToken cancellationToken = default);

    /// <summary>One city's follow-ups, newest first, filtered like <see cref="FollowUpQuery"/>.</summary>
    Task<FollowUpPage> QueryAsync(FollowUpQuery query, DateTimeOffset now, CancellationToken cancellationToken = default);
}

/// <summary>What the city console asks for: a state, overdue or not, and a page.</summary>
public sealed record FollowUpQuery(string CityCode, FollowUpState? State, bool? Overdue, int Page, int PageSize);

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
