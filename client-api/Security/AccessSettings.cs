using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Evaluation.ClientApi.Security;

/// <summary>Who may call what: bearer tokens, development tokens, source keys and rate limits (section <c>Evaluation</c>).</summary>
public sealed class JwtSettings
{
    public string Issuer { get; set; } = "evaluation";

    public string Audience { get; set; } = "evaluation-api";

    /// <summary>Base64 of at least 32 random bytes (HMAC-SHA256); environment variable <c>EVAL_JWT_KEY</c>.</summary>
    public string SigningKey { get; set; } = "";

    /// <summary>How long a development token lasts; at most <see cref="MaxLifetime"/>.</summary>
    public TimeSpan DevTokenLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>The longest a bearer token may live (exp − iat/nbf); a longer-lived token is refused with 401.</summary>
    public TimeSpan MaxLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>
    /// ECDSA P-256 keys by key id (<c>kid</c>): base64 of a PKCS#8 private key (signs and verifies) or of a
    /// SubjectPublicKeyInfo public key (verifies only). Every key listed is accepted, so keys rotate by adding
    /// the new one, signing with it, and removing the old one once its tokens have expired.
    /// </summary>
    public Dictionary<string, string> EcdsaKeys { get; set; } = [];

    /// <summary>The <see cref="EcdsaKeys"/> entry the development issuer signs with (ES256); unset: HMAC-SHA256.</summary>
    public string? SigningKeyId { get; set; }

    /// <summary>The keys a token may be signed with: the HMAC key (when set) and every ECDSA key, with its kid.</summary>
    public IReadOnlyList<SecurityKey> ValidationKeys()
    {
        var keys = new List<SecurityKey>();
        if (SigningKeyBytes() is { Length: > 0 } secret)
        {
            keys.Add(new SymmetricSecurityKey(secret));
        }

        keys.AddRange(EcdsaKeys.Select(k => EcdsaKey(k.Key, k.Value)));
        return keys;
    }

    /// <summary>The credentials the development issuer signs with.</summary>
    public SigningCredentials SigningCredentials() => SigningKeyId is { Length: > 0 } id
        ? new SigningCredentials(EcdsaKey(id, EcdsaKeys[id]), SecurityAlgorithms.EcdsaSha256)
        : new SigningCredentials(new SymmetricSecurityKey(SigningKeyBytes()), SecurityAlgorithms.HmacSha256);

    /// <summary>Throws when <paramref name="base64"/> is neither a PKCS#8 private key nor a public key of P-256.</summary>
    public static ECDsaSecurityKey EcdsaKey(string keyId, string base64)
    {
        var bytes = Convert.FromBase64String(base64);
        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportPkcs8PrivateKey(bytes, out _);
        }
        catch (CryptographicException)
        {
            ecdsa.ImportSubjectPublicKeyInfo(bytes, out _);
        }

        if (ecdsa.KeySize != 256)
        {
            throw new CryptographicException($"key {keyId} is not a P-256 key");
        }

        return new ECDsaSecurityKey(ecdsa) { KeyId = keyId };
    }

    public byte[] SigningKeyBytes()
    {
        try
        {
            return Convert.FromBase64String(SigningKey);
        }
        catch (FormatException)
        {
            return [];
        }
    }
}

/// <summary>Requests per minute; public reads per client address, ingestion per source.</summary>
public sealed class RateLimitSettings
{
    public int PublicPerMinute { get; set; } = 600;

    public int IngestionPerMinute { get; set; } = 1200;

    /// <summary>Ingest batches handled at once by one API host; further batches queue up to <see cref="IngestionQueue"/>, then get 503.</summary>
    public int IngestionConcurrency { get; set; } = 16;

    public int IngestionQueue { get; set; }

    /// <summary>Alert streams one person (token subject) may hold open at once.</summary>
    public int StreamsPerUser { get; set; } = 5;
}

/// <summary>
/// Proxies whose <c>X-Forwarded-For</c> is believed (section <c>Evaluation:ForwardedHeaders</c>); none by default,
/// so a client cannot choose its own address, and behind a known ingress each client still has its own budget.
/// </summary>
public sealed class ForwardedHeaderSettings
{
    /// <summary>Addresses of the proxies, e.g. <c>10.0.0.5</c>.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of the proxies in CIDR form, e.g. <c>10.0.0.0/8</c>.</summary>
    public List<string> KnownNetworks { get; set; } = [];
}

/// <summary>
/// A rating source's key as stored: <c>base64(salt):base64(SHA-256(salt ‖ key))</c>, so configuration and its
/// backups never hold a usable key. Keys are long random strings, which is why a salted hash suffices and no
/// slow password hash is needed.
/// </summary>
public static class SourceKeyHash
{
    public static string Create(string key)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        return $"{Convert.ToBase64String(salt)}:{Convert.ToBase64String(Hash(salt, key))}";
    }

    /// <summary>Null when <paramref name="stored"/> is not of the form salt:hash.</summary>
    public static bool? Matches(string stored, string key)
    {
        var parts = stored.Split(':');
        if (parts.Length != 2)
        {
            return null;
        }

        try
        {
            var salt = Convert.FromBase64String(parts[0]);
            var expected = Convert.FromBase64String(parts[1]);
            return CryptographicOperations.FixedTimeEquals(Hash(salt, key), expected);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static byte[] Hash(byte[] salt, string key) =>
        SHA256.HashData([.. salt, .. System.Text.Encoding.UTF8.GetBytes(key)]);
}
