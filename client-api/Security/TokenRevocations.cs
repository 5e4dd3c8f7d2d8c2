using System.Collections.Concurrent;
using Npgsql;

namespace Evaluation.ClientApi.Security;

/// <summary>
/// Bearer tokens revoked before they expire, by token id (<c>jti</c>), kept until the token would have expired
/// anyway. In PostgreSQL (ops/sql/009_revoked_token.sql) so every API host refuses a token signed out on any
/// of them; with <c>--in-memory</c>, in this process only (one host, nothing survives a restart).
/// </summary>
public interface ITokenRevocations
{
    Task RevokeAsync(string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    Task<bool> IsRevokedAsync(string tokenId, CancellationToken cancellationToken);
}

public sealed class InProcessTokenRevocations(TimeProvider time) : ITokenRevocations
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> revoked = new(StringComparer.Ordinal);

    public Task RevokeAsync(string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var (id, expires) in revoked)
        {
            if (expires < now)
            {
                revoked.TryRemove(id, out _);
            }
        }

        revoked[tokenId] = expiresAt;
        return Task.CompletedTask;
    }

    public Task<bool> IsRevokedAsync(string tokenId, CancellationToken cancellationToken) =>
        Task.FromResult(revoked.TryGetValue(tokenId, out var expires) && expires >= time.GetUtcNow());
}

public sealed class PostgresTokenRevocations(NpgsqlDataSource dataSource) : ITokenRevocations
{
    public async Task RevokeAsync(string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("DELETE FROM revoked_token WHERE expires_at < now()"));
        var insert = new NpgsqlBatchCommand(
            "INSERT INTO revoked_token (token_id, expires_at) VALUES ($1, $2) ON CONFLICT (token_id) DO NOTHING");
        insert.Parameters.Add(new NpgsqlParameter { Value = tokenId });
        insert.Parameters.Add(new NpgsqlParameter { Value = expiresAt.UtcDateTime });
        batch.BatchCommands.Add(insert);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> IsRevokedAsync(string tokenId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM revoked_token WHERE token_id = $1)");
        command.Parameters.Add(new NpgsqlParameter { Value = tokenId });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
