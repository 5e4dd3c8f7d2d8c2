namespace Evaluation.ClientApi.Security.Sources;

/// <summary>
/// A rating source created through the admin API (ops/sql/012_sources.sql): its key's hash only, the previous key's
/// while a rotation's grace period runs, its limits and its life. Channels are the contract's names.
/// </summary>
public sealed record SourceRecord(
    string Name,
    string KeyHash,
    string? PreviousKeyHash,
    DateTimeOffset? PreviousValidUntil,
    IReadOnlyList<string> Cities,
    IReadOnlyList<string> Institutions,
    IReadOnlyList<string> Channels,
    int? PerMinute,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RotatedAt,
    DateTimeOffset? RevokedAt)
{
    /// <summary>Whether <paramref name="key"/> is this source's key at <paramref name="now"/>: never once revoked.</summary>
    public bool Accepts(string key, DateTimeOffset now) =>
        RevokedAt is null
        && (SourceKeyHash.Matches(KeyHash, key) == true
            || (PreviousKeyHash is { } previous && now < PreviousValidUntil && SourceKeyHash.Matches(previous, key) == true));
}

/// <summary>Where created sources are kept: PostgreSQL, so every API host sees them; with <c>--in-memory</c>, this process.</summary>
public interface ISourceStore
{
    Task<IReadOnlyList<SourceRecord>> AllAsync(CancellationToken cancellationToken);

    /// <summary>False when a source of that name exists already.</summary>
    Task<bool> CreateAsync(SourceRecord source, CancellationToken cancellationToken);

    /// <summary>Saves a changed source (rotated or revoked); false when none of that name exists.</summary>
    Task<bool> UpdateAsync(SourceRecord source, CancellationToken cancellationToken);
}
