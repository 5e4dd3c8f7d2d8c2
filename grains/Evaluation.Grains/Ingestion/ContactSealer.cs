using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Evaluation.Contracts.Ingestion;

namespace Evaluation.Grains.Ingestion;

/// <summary>
/// Seals a rater's contact details with AES-GCM before they reach the log, so the database alone never
/// reveals them. Layout: 12-byte nonce, 16-byte tag, ciphertext of the JSON contact.
/// </summary>
public sealed class ContactSealer
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] key;

    public ContactSealer(byte[] key)
    {
        if (key.Length != 32)
        {
            throw new ArgumentException("The contact key must be 32 bytes (256-bit AES).", nameof(key));
        }

        this.key = key;
    }

    public byte[] Seal(Contact contact)
    {
        var plain = JsonSerializer.SerializeToUtf8Bytes(contact);
        var sealedBytes = new byte[NonceSize + TagSize + plain.Length];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize));
        return sealedBytes;
    }

    public Contact Open(byte[] sealedBytes)
    {
        var plain = new byte[sealedBytes.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), plain);
        return JsonSerializer.Deserialize<Contact>(Encoding.UTF8.GetString(plain))!;
    }
}
