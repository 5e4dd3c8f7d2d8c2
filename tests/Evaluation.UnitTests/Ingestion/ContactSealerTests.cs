using System.Security.Cryptography;
using System.Text.Json;
using Evaluation.Contracts.Ingestion;
using Evaluation.Grains.Ingestion;
using Xunit;

namespace Evaluation.UnitTests.Ingestion;

public sealed class ContactSealerTests
{
    private static readonly Contact Rater = new("李四", "13912345678");
    private static readonly byte[] OldKey = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] NewKey = RandomNumberGenerator.GetBytes(32);

    [Fact]
    public void A_seal_names_its_key_and_opens_only_for_its_own_follow_up()
    {
        var sealer = new ContactSealer("k1", OldKey);
        var sealedContact = sealer.Seal(Rater, "fu-1");
        Assert.Equal("k1", ContactSealer.KeyIdOf(sealedContact));
        Assert.Equal(Rater, sealer.Open(sealedContact, "fu-1"));

        // Copied onto another follow-up, the associated data no longer matches.
        Assert.ThrowsAny<CryptographicException>(() => sealer.Open(sealedContact, "fu-2"));
    }

    [Fact]
    public void After_a_rotation_old_seals_open_with_the_retired_key_and_new_ones_use_the_new_key()
    {
        var before = new ContactSealer("k1", OldKey).Seal(Rater, "fu-1");
        var rotated = new ContactSealer("k2", NewKey, new Dictionary<string, byte[]> { ["k1"] = OldKey });
        Assert.False(rotated.IsCurrent(before));
        Assert.Equal(Rater, rotated.Open(before, "fu-1"));

        var resealed = rotated.Seal(rotated.Open(before, "fu-1"), "fu-1");
        Assert.True(rotated.IsCurrent(resealed));
        Assert.Equal(Rater, new ContactSealer("k2", NewKey).Open(resealed, "fu-1"));

        // Without the retired key an old seal says which key it needs.
        var message = Assert.ThrowsAny<CryptographicException>(() => new ContactSealer("k2", NewKey).Open(before, "fu-1")).Message;
        Assert.Contains("'k1'", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Seals_from_before_key_ids_still_open()
    {
        // The first layout: nonce, tag, ciphertext, no key id and no associated data.
        var plain = JsonSerializer.SerializeToUtf8Bytes(Rater);
        var legacy = new byte[12 + 16 + plain.Length];
        RandomNumberGenerator.Fill(legacy.AsSpan(0, 12));
        using (var aes = new AesGcm(OldKey, 16))
        {
            aes.Encrypt(legacy.AsSpan(0, 12), plain, legacy.AsSpan(28), legacy.AsSpan(12, 16));
        }

        var rotated = new ContactSealer("k2", NewKey, new Dictionary<string, byte[]> { ["k1"] = OldKey });
        Assert.Null(ContactSealer.KeyIdOf(legacy));
        Assert.Equal(Rater, rotated.Open(legacy, "any-follow-up"));
        Assert.ThrowsAny<CryptographicException>(() => new ContactSealer("k2", NewKey).Open(legacy, "any-follow-up"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("key-1")]
    [InlineData("a-key-id-that-is-far-too-long-to-fit")]
    public void Key_ids_are_short_plain_words(string id) =>
        Assert.Throws<ArgumentException>(() => new ContactSealer(id, OldKey));
}
