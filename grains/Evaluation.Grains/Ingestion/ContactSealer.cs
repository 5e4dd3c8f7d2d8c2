using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Evaluation.Contracts.Ingestion;

namespace Evaluation.Grains.Ingestion;

/// <summary>
/// Seals a rater's contact details with AES-GCM before they are stored, so the database alone never reveals them.
/// Each seal names the key that made it, so keys rotate: new seals use the current key, old ones open with a
/// retired key until they are sealed again (<see cref="IsCurrent"/>). The follow-up's id is the associated data,
/// so a sealed contact copied onto another follow-up does not open.
/// Layout: "EVC1", key-id length (1 byte), key id (ASCII), 12-byte nonce, 16-byte tag, ciphertext of the JSON contact.
/// Seals made before key ids existed (nonce, tag, ciphertext; no associated data) still open, with any known key.
/// </summary>
public sealed class ContactSealer
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private static readonly byte[] Magic = "EVC1"u8.ToArray();
    private readonly string currentId;
    private readonly IReadOnlyDictionary<string, byte[]> keys;

    public ContactSealer(string currentId, byte[] currentKey, IReadOnlyDictionary<string, byte[]>? retired = null)
    {
        if (currentKey.Length != 32 || (retired?.Values.Any(k => k.Length != 32) ?? false))
        {
            throw new ArgumentException("Every contact key must be 32 bytes (256-bit AES).", nameof(currentKey));
        }

        if (currentId.Length is 0 or > 32 || !currentId.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException("A contact key id is 1–32 ASCII letters or digits.", nameof(currentId));
        }

        this.currentId = currentId;
        keys = new Dictionary<string, byte[]>(retired ?? new Dictionary<string, byte[]>()) { [currentId] = currentKey };
    }

    public string CurrentKeyId => currentId;

    public byte[] Seal(Contact contact, string followUpId) => Seal(JsonSerializer.SerializeToUtf8Bytes(contact), Associated(followUpId));

    /// <summary>
    /// Seals a webhook subscription's signing secret under the same key, bound to the subscription: HMAC needs the
    /// secret itself (a hash would not do), and a database dump alone must not let anyone sign as the system.
    /// </summary>
    public byte[] SealSecret(string secret, string subscriptionId) => Seal(Encoding.UTF8.GetBytes(secret), SecretAssociated(subscriptionId));

    public string OpenSecret(byte[] sealedBytes, string subscriptionId) =>
        Encoding.UTF8.GetString(OpenCurrentFormat(sealedBytes, SecretAssociated(subscriptionId)));

    private byte[] Seal(byte[] plain, byte[] associated)
    {
        var id = Encoding.ASCII.GetBytes(currentId);
        var header = Magic.Length + 1 + id.Length;
        var sealedBytes = new byte[header + NonceSize + TagSize + plain.Length];
        Magic.CopyTo(sealedBytes, 0);
        sealedBytes[Magic.Length] = (byte)id.Length;
        id.CopyTo(sealedBytes, Magic.Length + 1);
        var body = sealedBytes.AsSpan(header);
        RandomNumberGenerator.Fill(body[..NonceSize]);
        using var aes = new AesGcm(keys[currentId], TagSize);
        aes.Encrypt(body[..NonceSize], plain, body[(NonceSize + TagSize)..], body.Slice(NonceSize, TagSize), associated);
        return sealedBytes;
    }

    /// <summary>Opens a seal of <paramref name="followUpId"/>; throws when no known key opens it or it belongs to another follow-up.</summary>
    public Contact Open(byte[] sealedBytes, string followUpId)
    {
        return KeyIdOf(sealedBytes) is null
            ? OpenLegacy(sealedBytes)
            : JsonSerializer.Deserialize<Contact>(OpenCurrentFormat(sealedBytes, Associated(followUpId)))!;
    }

    private byte[] OpenCurrentFormat(byte[] sealedBytes, byte[] associated)
    {
        var id = KeyIdOf(sealedBytes) ?? throw new CryptographicException("The seal names no key.");
        if (!keys.TryGetValue(id, out var key))
        {
            throw new CryptographicException($"The value was sealed with key '{id}', which is not configured (Evaluation:RetiredContactKeys:{id}).");
        }

        return Decrypt(key, sealedBytes.AsSpan(Magic.Length + 1 + id.Length), associated);
    }

    /// <summary>The id of the key that made a seal; null for a seal from before key ids.</summary>
    public static string? KeyIdOf(byte[] sealedBytes) =>
        sealedBytes.Length > Magic.Length + 1 && sealedBytes.AsSpan(0, Magic.Length).SequenceEqual(Magic)
            ? Encoding.ASCII.GetString(sealedBytes, Magic.Length + 1, sealedBytes[Magic.Length])
            : null;

    public bool IsCurrent(byte[] sealedBytes) => KeyIdOf(sealedBytes) == currentId;

    private Contact OpenLegacy(byte[] sealedBytes)
    {
        foreach (var key in keys.Values)
        {
            try
            {
                return JsonSerializer.Deserialize<Contact>(Decrypt(key, sealedBytes, []))!;
            }
            catch (CryptographicException)
            {
                // Not this key; try the next one.
            }
        }

        throw new CryptographicException("No configured contact key opens this contact.");
    }

    private static byte[] Decrypt(byte[] key, ReadOnlySpan<byte> body, ReadOnlySpan<byte> associated)
    {
        var plain = new byte[body.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(body[..NonceSize], body[(NonceSize + TagSize)..], body.Slice(NonceSize, TagSize), plain, associated);
        return plain;
    }

    private static byte[] Associated(string followUpId) => Encoding.UTF8.GetBytes("follow-up:" + followUpId);

    private static byte[] SecretAssociated(string subscriptionId) => Encoding.UTF8.GetBytes("subscription:" + subscriptionId);
}
