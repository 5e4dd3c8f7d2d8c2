using System.Data.Common;
using Npgsql;

namespace Evaluation.Grains.Hosting;

/// <summary>Which database faults pass on their own, so the caller is told to retry rather than that the request is wrong.</summary>
public static class DatabaseFaults
{
    /// <summary>
    /// A server that said so (connection lost, shutting down, serialization failure, ...), a node that was primary when
    /// the connection was made and has since been demoted (read-only transaction), and every fault of Npgsql that is
    /// not an answer of the server: no server reached, or, with a multi-host connection string during a failover, no
    /// server that is primary yet ("No suitable host was found").
    /// </summary>
    public static bool IsTransient(DbException exception) => exception switch
    {
        PostgresException postgres => postgres.IsTransient || postgres.SqlState == PostgresErrorCodes.ReadOnlySqlTransaction,
        NpgsqlException => true,
        _ => exception.IsTransient,
    };
}
