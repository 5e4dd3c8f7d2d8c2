using System.Security.Cryptography;

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
