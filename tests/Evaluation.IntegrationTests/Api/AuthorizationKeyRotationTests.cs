using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Evaluation.ClientApi.Security;
using Evaluation.IntegrationTests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace Evaluation.IntegrationTests.Api;

/// <summary>
/// Tokens signed with ECDSA P-256 carry a key id; every configured key is accepted, so a new signing key
/// takes over while tokens of the previous one (now configured by its public key only) stay valid.
/// </summary>
public sealed class AuthorizationKeyRotationTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Tokens_of_the_new_and_the_previous_ECDSA_key_are_accepted_and_a_strangers_key_is_not()
    {
        using var previous = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var next = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var api = system.CreateApi(new Dictionary<string, string>
        {
            ["Evaluation:Jwt:EcdsaKeys:2026-01"] = Convert.ToBase64String(previous.ExportSubjectPublicKeyInfo()),
            ["Evaluation:Jwt:EcdsaKeys:2026-07"] = Convert.ToBase64String(next.ExportPkcs8PrivateKey()),
            ["Evaluation:Jwt:SigningKeyId"] = "2026-07",
        }).CreateClient();

        using var issued = await api.PostAsJsonAsync("/api/v1/dev/tokens", new { role = Roles.Supervisor }, Ct);
        var token = (await issued.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("token").GetString()!;
        var header = new JsonWebToken(token);
        Assert.Equal(("ES256", "2026-07"), (header.Alg, header.Kid));

        Assert.Equal(HttpStatusCode.OK, await AlertsWith(api, token));
        Assert.Equal(HttpStatusCode.OK, await AlertsWith(api, Sign(previous, "2026-01")));
        Assert.Equal(HttpStatusCode.Unauthorized, await AlertsWith(api, Sign(stranger, "2026-01")));
        Assert.Equal(HttpStatusCode.Unauthorized, await AlertsWith(api, Sign(stranger, "2025-01")));
    }

    private static async Task<HttpStatusCode> AlertsWith(HttpClient api, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/alerts");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await api.SendAsync(request, Ct);
        return response.StatusCode;
    }

    private static string Sign(ECDsa key, string keyId)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "evaluation",
            Audience = "evaluation-api",
            Claims = new Dictionary<string, object> { ["sub"] = "supervisor", ["role"] = Roles.Supervisor, ["jti"] = Guid.NewGuid().ToString("N") },
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(1),
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(key) { KeyId = keyId }, SecurityAlgorithms.EcdsaSha256),
        });
    }
}
