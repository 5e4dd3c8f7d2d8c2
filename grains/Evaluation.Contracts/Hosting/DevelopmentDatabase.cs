namespace Evaluation.Contracts.Hosting;

/// <summary>The database ops/pg/ensure-postgres creates (ops/pg/lib.sh names the same), for development and tests.</summary>
public static class DevelopmentDatabase
{
    /// <summary>Its role and password are published, so hosts refuse it outside development on loopback.</summary>
    public const string ConnectionString = "Host=127.0.0.1;Port=5432;Username=evaluation;Password=evaluation;Database=evaluation";

    /// <summary><c>EVAL_DB</c> when set, else <see cref="ConnectionString"/>: what tools and tests connect to.</summary>
    public static string FromEnvironment() =>
        Environment.GetEnvironmentVariable("EVAL_DB") is { Length: > 0 } db ? db : ConnectionString;
}
