using Evaluation.ClientApi.Security;
using Evaluation.Contracts.Hosting;

namespace Evaluation.ClientApi.Extensions;

/// <summary>
/// The API host's configuration (section <c>Evaluation</c>; the documented <c>EVAL_*</c> environment variables are
/// aliases of its keys, see <see cref="Evaluation.ServiceDefaults.EnvironmentAliases"/>).
/// </summary>
public sealed class ApiSettings
{
    public bool InMemory { get; set; }

    /// <summary>Npgsql connection string of the cluster's membership table; environment variable <c>EVAL_DB</c>.</summary>
    public string ConnectionString { get; set; } = DevelopmentDatabase.ConnectionString;

    /// <summary>The key rating sources send as <c>X-Api-Key</c>; environment variable <c>EVAL_SOURCE_KEY</c>.</summary>
    public string SourceKey { get; set; } = DevelopmentHost.PublishedSourceKey;

    /// <summary>The key for registry imports (<c>X-Admin-Key</c>); environment variable <c>EVAL_ADMIN_KEY</c>. Empty disables imports.</summary>
    public string AdminKey { get; set; } = "";

    /// <summary>Further source keys, stored hashed: source name → <c>salt:hash</c> (see <see cref="SourceKeyHash"/>).</summary>
    public Dictionary<string, string> SourceKeys { get; set; } = [];

    public JwtSettings Jwt { get; set; } = new();

    /// <summary>Serves <c>POST /api/v1/dev/tokens</c>; development only, never in production. Environment variable <c>EVAL_DEV_TOKENS</c>.</summary>
    public bool DevTokens { get; set; }

    /// <summary>Serves <c>/openapi/v1.json</c> and <c>/scalar</c>; unset means on in Development only. Environment variable <c>EVAL_API_DOCS</c>.</summary>
    public bool? ApiDocs { get; set; }

    public RateLimitSettings RateLimits { get; set; } = new();

    public ForwardedHeaderSettings ForwardedHeaders { get; set; } = new();

    public int GatewayPort { get; set; } = 30000;

    /// <summary>Mutual TLS to the silos (section <c>Evaluation:Tls</c>); silos with TLS on refuse a client without it.</summary>
    public TlsSettings Tls { get; set; } = new();

    public string ClusterId { get; set; } = "evaluation";

    public string ServiceId { get; set; } = "evaluation";

    private static bool HasPrivateKey(string key)
    {
        try
        {
            using var ecdsa = System.Security.Cryptography.ECDsa.Create();
            ecdsa.ImportPkcs8PrivateKey(Convert.FromBase64String(key), out _);
            return true;
        }
        catch (Exception e) when (e is FormatException or System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }

    /// <summary>
    /// The problems that stop the host from starting. <paramref name="developmentOnLoopback"/> (see
    /// <see cref="DevelopmentHost"/>) is the only start that may use published or short keys and the development
    /// token issuer.
    /// </summary>
    public IReadOnlyList<string> Validate(bool developmentOnLoopback)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(SourceKey) || SourceKey.Length < 8)
        {
            problems.Add("EVAL_SOURCE_KEY (Evaluation:SourceKey) must be at least 8 characters.");
        }

        if (!developmentOnLoopback)
        {
            const string where = "outside the Development environment on loopback addresses; use a long random value, e.g. `openssl rand -base64 32`.";
            if (DevelopmentHost.Weakness(SourceKey) is { } source)
            {
                problems.Add($"EVAL_SOURCE_KEY (Evaluation:SourceKey) {source}: refused {where}");
            }

            if (AdminKey.Length > 0 && DevelopmentHost.Weakness(AdminKey) is { } admin)
            {
                problems.Add($"EVAL_ADMIN_KEY (Evaluation:AdminKey) {admin}: refused {where} Leave it empty to disable imports.");
            }

            if (!InMemory && (ConnectionString == DevelopmentDatabase.ConnectionString || DevelopmentHost.Weakness(ConnectionString) == "is a placeholder"))
            {
                problems.Add($"EVAL_DB (Evaluation:ConnectionString) is the development database's published login or a placeholder: refused {where}");
            }

            if (DevTokens)
            {
                problems.Add("EVAL_DEV_TOKENS (Evaluation:DevTokens) serves POST /api/v1/dev/tokens, which signs a token of any role for anyone: " +
                    "only with ASPNETCORE_ENVIRONMENT=Development and Urls on loopback addresses (127.0.0.1, [::1], localhost).");
            }
        }

        if (!InMemory && string.IsNullOrWhiteSpace(ConnectionString))
        {
            problems.Add("EVAL_DB (Evaluation:ConnectionString) must be an Npgsql connection string, or start with --in-memory.");
        }

        foreach (var (id, key) in Jwt.EcdsaKeys)
        {
            try
            {
                JwtSettings.EcdsaKey(id, key);
            }
            catch (Exception e) when (e is FormatException or System.Security.Cryptography.CryptographicException)
            {
                problems.Add($"Evaluation:Jwt:EcdsaKeys:{id} must be the base64 of a P-256 PKCS#8 private key or SubjectPublicKeyInfo public key.");
            }
        }

        if (Jwt.SigningKeyId is { Length: > 0 } signing && (!Jwt.EcdsaKeys.TryGetValue(signing, out var signingKey) || !HasPrivateKey(signingKey)))
        {
            problems.Add($"Evaluation:Jwt:SigningKeyId '{signing}' must name an Evaluation:Jwt:EcdsaKeys entry holding a private key.");
        }

        var hmacOptional = Jwt.EcdsaKeys.Count > 0 && string.IsNullOrEmpty(Jwt.SigningKey);
        if (!hmacOptional && (Jwt.SigningKeyBytes().Length < 32 || DevelopmentHost.Weakness(Jwt.SigningKey) == "is a placeholder"))
        {
            problems.Add("EVAL_JWT_KEY (Evaluation:Jwt:SigningKey) must be the base64 of at least 32 random bytes, e.g. `openssl rand -base64 32`; ops/run creates one for you.");
        }

        if (Jwt.MaxLifetime <= TimeSpan.Zero || Jwt.DevTokenLifetime <= TimeSpan.Zero || Jwt.DevTokenLifetime > Jwt.MaxLifetime)
        {
            problems.Add("Evaluation:Jwt:MaxLifetime must be positive, and Evaluation:Jwt:DevTokenLifetime positive and no longer.");
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

        if (RateLimits.IngestionConcurrency < 1 || RateLimits.IngestionQueue < 0 || RateLimits.StreamsPerUser < 1)
        {
            problems.Add("Evaluation:RateLimits:IngestionConcurrency and StreamsPerUser must be at least 1, IngestionQueue at least 0.");
        }

        problems.AddRange(ForwardedHeaders.KnownProxies.Where(p => !System.Net.IPAddress.TryParse(p, out _))
            .Select(p => $"Evaluation:ForwardedHeaders:KnownProxies: '{p}' is not an IP address."));
        problems.AddRange(ForwardedHeaders.KnownNetworks.Where(n => !System.Net.IPNetwork.TryParse(n, out _))
            .Select(n => $"Evaluation:ForwardedHeaders:KnownNetworks: '{n}' is not a network in CIDR form (e.g. 10.0.0.0/8)."));

        if (GatewayPort is < 1 or > 65535)
        {
            problems.Add("Evaluation:GatewayPort must be a TCP port.");
        }

        return problems;
    }
}
