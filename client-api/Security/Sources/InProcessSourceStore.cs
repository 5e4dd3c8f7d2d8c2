using System.Collections.Concurrent;

namespace Evaluation.ClientApi.Security.Sources;

/// <summary>The sources of an <c>--in-memory</c> system: this process only, gone with it.</summary>
public sealed class InProcessSourceStore : ISourceStore
{
    private readonly ConcurrentDictionary<string, SourceRecord> sources = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<SourceRecord>> AllAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<SourceRecord>>([.. sources.Values.OrderBy(s => s.Name, StringComparer.Ordinal)]);

    public Task<bool> CreateAsync(SourceRecord source, CancellationToken cancellationToken) =>
        Task.FromResult(sources.TryAdd(source.Name, source));

    public Task<bool> UpdateAsync(SourceRecord source, CancellationToken cancellationToken) =>
        Task.FromResult(sources.TryGetValue(source.Name, out var current) && sources.TryUpdate(source.Name, source, current));
}
