namespace Evaluation.ClientApi.Extensions;

/// <summary>The API host's configuration (section <c>Evaluation</c>, plus the documented environment variables).</summary>
public sealed class ApiSettings
{
    public bool InMemory { get; set; }

    /// <summary>Npgsql connection string of the cluster's membership table; environment variable <c>EVAL_DB</c>.</summary>
    public string ConnectionString { get; set; } = "Host=127.0.0.1;Port=5432;Username=evaluation;Password=evaluation;Database=evaluation";

    /// <summary>The key rating sources send as <c>X-Api-Key</c>; environment variable <c>EVAL_SOURCE_KEY</c>.</summary>
    public string SourceKey { get; set; } = "dev-source-key";

    /// <summary>The key for registry imports (<c>X-Admin-Key</c>); environment variable <c>EVAL_ADMIN_KEY</c>. Empty disables imports.</summary>
    public string AdminKey { get; set; } = "";

    public int GatewayPort { get; set; } = 30000;

    public string ClusterId { get; set; } = "evaluation";

    public string ServiceId { get; set; } = "evaluation";

    public static ApiSettings Read(IConfiguration configuration)
    {
        // The short environment names are aliases; a value set under Evaluation:* (e.g. by a test host) wins.
        var section = configuration.GetSection("Evaluation");
        var settings = section.Get<ApiSettings>() ?? new ApiSettings();
        settings.ConnectionString = section["ConnectionString"] ?? Alias("EVAL_DB") ?? settings.ConnectionString;
        settings.SourceKey = section["SourceKey"] ?? Alias("EVAL_SOURCE_KEY") ?? settings.SourceKey;
        settings.AdminKey = section["AdminKey"] ?? Alias("EVAL_ADMIN_KEY") ?? settings.AdminKey;
        return settings;
    }

    private static string? Alias(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;


    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(SourceKey) || SourceKey.Length < 8)
        {
            problems.Add("EVAL_SOURCE_KEY (Evaluation:SourceKey) must be at least 8 characters.");
        }

        if (!InMemory && string.IsNullOrWhiteSpace(ConnectionString))
        {
            problems.Add("EVAL_DB (Evaluation:ConnectionString) must be an Npgsql connection string, or start with --in-memory.");
        }

        if (GatewayPort is < 1 or > 65535)
        {
            problems.Add("Evaluation:GatewayPort must be a TCP port.");
        }

        return problems;
    }
}
