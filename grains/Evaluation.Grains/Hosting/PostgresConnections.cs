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
}
