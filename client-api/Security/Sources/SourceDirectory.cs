using System.Data.Common;
using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Registry;

namespace Evaluation.ClientApi.Security.Sources;

/// <summary>
/// Every rating source this host accepts: the created ones (<see cref="ISourceStore"/>, read again at most every
/// <see cref="RefreshInterval"/>, at once on the host that changed them) and the configured keys, each a source of
/// its own with no limits. A created source's key is <c>name.secret</c>, so it is found by name, not by trying hashes.
/// </summary>
public sealed class SourceDirectory(ISourceStore store, SourceKeyStore configured, TimeProvider time, ILogger<SourceDirectory> logger)
{
    /// <summary>How long another host may still accept a key revoked here.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);

    private volatile Snapshot? current;

    /// <summary>The source a key belongs to and its own rate limit (null: the common one), or null for no source.</summary>
    public async Task<(string Name, int? PerMinute)?> IdentifyAsync(string key, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var dot = key.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0 && (await SourcesAsync(cancellationToken)).TryGetValue(key[..dot], out var source) && source.Accepts(key, now))
        {
            return (source.Name, source.PerMinute);
        }

        return configured.Identify(key) is { } name ? (name, null) : null;
    }

    /// <summary>What a source may send for; a configured source may send for everything.</summary>
    public async Task<SourceIdentity> IdentityOfAsync(string name, CancellationToken cancellationToken) =>
        (await SourcesAsync(cancellationToken)).TryGetValue(name, out var source)
            ? new SourceIdentity(name, new SourceScope(source.Cities, source.Institutions, [.. source.Channels.Select(ChannelOf)]))
            : new SourceIdentity(name, SourceScope.Any);

    public bool IsConfigured(string name) => configured.HashedKeys.ContainsKey(name);

    public async Task<IReadOnlyDictionary<string, SourceRecord>> SourcesAsync(CancellationToken cancellationToken)
    {
        var snapshot = current;
        if (snapshot is null || time.GetUtcNow() - snapshot.LoadedAt > RefreshInterval)
        {
            var loadedAt = time.GetUtcNow();
            try
            {
                var all = await store.AllAsync(cancellationToken);
                current = snapshot = new Snapshot(loadedAt, all.ToDictionary(s => s.Name, StringComparer.Ordinal));
            }
            catch (DbException ex)
            {
                // A database outage must not lock out the sources: the ones read last keep working (the configured
                // ones always do), and the store is tried again after the interval, not on every request.
                logger.LogWarning(ex, "Reading the rating sources failed; using the {Count} read before", snapshot?.Sources.Count ?? 0);
                current = snapshot = new Snapshot(loadedAt, snapshot?.Sources ?? new Dictionary<string, SourceRecord>());
            }
        }

        return snapshot.Sources;
    }

    /// <summary>After a change made on this host: read the store again on the next request.</summary>
    public void Invalidate() => current = null;

    private static Channel ChannelOf(string name) =>
        Enum.Parse<Channel>(name, ignoreCase: true);

    private sealed record Snapshot(DateTimeOffset LoadedAt, IReadOnlyDictionary<string, SourceRecord> Sources);
}
