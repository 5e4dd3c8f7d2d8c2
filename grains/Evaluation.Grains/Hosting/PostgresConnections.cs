using Npgsql;

namespace Evaluation.Grains.Hosting;

/// <summary>
/// Keeps each silo's connection pools bounded. A burst of activations (a page of 100 institutions, a city
/// rebuilding itself) otherwise opens a connection per grain and exhausts the server; with a bound the
/// burst queues briefly in the pool instead. An operator's explicit Maximum Pool Size is respected.
/// </summary>
public static class PostgresConnections
{
    public const int DefaultMaxPoolSize = 20;

    public static string Bounded(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Pool Size", StringComparison.OrdinalIgnoreCase) &&
            !connectionString.Contains("MaxPoolSize", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxPoolSize = DefaultMaxPoolSize;
        }

        return builder.ConnectionString;
    }

    /// <summary>
    /// Pooled connections that keep their session when returned to the pool. The event log appends through session
    /// temp tables (<see cref="EventLog.PostgresEventLog"/>); Npgsql's reset on return (DISCARD ALL) dropped them, so
    /// every batch created them again: catalogue writes and WAL on each batch, measured in docs/performance.md. Only the
    /// silo's data-access pool uses it: nothing there keeps other session state (settings are SET LOCAL, advisory locks
    /// transaction-scoped; the schema migrator's session lock has a connection of its own).
    /// </summary>
    public static string KeepingSessions(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true }.ConnectionString;
}
