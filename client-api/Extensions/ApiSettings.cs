using Evaluation.ClientApi.Security;
using Evaluation.Contracts.Hosting;

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

    /// <summary>Further source keys, stored hashed: source name → <c>salt:hash</c> (see <see cref="SourceKeyHash"/>).</summary>
    public Dictionary<string, string> SourceKeys { get; set; } = [];

    public JwtSettings Jwt { get; set; } = new();

    /// <summary>Serves <c>POST /api/v1/dev/tokens</c>; development only, never in production. Environment variable <c>EVAL_DEV_TOKENS</c>.</summary>
    public bool DevTokens { get; set; }

    public RateLimitSettings RateLimits { get; set; } = new();

    public int GatewayPort { get; set; } = 30000;

    /// <summary>Mutual TLS to the silos (section <c>Evaluation:Tls</c>); silos with TLS on refuse a client without it.</summary>
    public TlsSettings Tls { get; set; } = new();

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
        settings.Jwt.SigningKey = section["Jwt:SigningKey"] ?? Alias("EVAL_JWT_KEY") ?? settings.Jwt.SigningKey;
        settings.DevTokens = section["DevTokens"] is not null ? settings.DevTokens : Alias("EVAL_DEV_TOKENS") == "true";
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

        if (Jwt.SigningKeyBytes().Length < 32)
        {
            problems.Add("EVAL_JWT_KEY (Evaluation:Jwt:SigningKey) must be the base64 of at least 32 random bytes, e.g. `openssl rand -base64 32`; ops/run creates one for you.");
        }

        if (string.IsNullOrWhiteSpace(Jwt.Issuer) || string.IsNullOrWhiteSpace(Jwt.Audience))
        {
            problems.Add("Evaluation:Jwt:Issuer and Evaluation:Jwt:Audience must not be empty.");
        }

        problems.AddRange(Tls.Validate());
        foreach (var (name, stored) in SourceKeys)
        {
            if (SourceKeyHash.Matches(stored, "") is null)
            {
                problems.Add($"Evaluation:SourceKeys:{name} must be 'base64(salt):base64(sha256(salt+key))'.");
            }
        }

        if (RateLimits.PublicPerMinute < 1 || RateLimits.IngestionPerMinute < 1)
        {
            problems.Add("Evaluation:RateLimits:PublicPerMinute and IngestionPerMinute must be at least 1.");
        }

        if (GatewayPort is < 1 or > 65535)
        {
            problems.Add("Evaluation:GatewayPort must be a TCP port.");
        }

        return problems;
    }
}
