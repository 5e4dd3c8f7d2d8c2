using Evaluation.ClientApi.Application;
using Evaluation.ClientApi.Extensions;
using Evaluation.ClientApi.Security;
using Evaluation.Contracts.Grains;
using Evaluation.Contracts.Registry;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Evaluation.ClientApi.Apis;

/// <summary>
/// A local token issuer for development (what <c>ops/token</c> calls). Mapped only when
/// <c>Evaluation:DevTokens</c> is true, so a production host does not even have the route.
/// </summary>
public static class DevTokenApi
{
    public static void MapDevTokenApi(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<ApiSettings>().DevTokens)
        {
            return;
        }

        app.MapPost("/api/v1/dev/tokens", IssueAsync)
            .WithTags("Development")
            .WithSummary("Development only: a bearer token for a province supervisor, or a city officer of one prefecture city.");
    }

    private static async Task<Ok<DevToken>> IssueAsync(DevTokenRequest body, DevTokenIssuer issuer, IClusterClient cluster)
    {
        if (body.Role is not (Roles.Supervisor or Roles.CityOfficer))
        {
            throw Invalid("role", $"role must be '{Roles.Supervisor}' or '{Roles.CityOfficer}'");
        }

        string? city = null;
        if (body.Role == Roles.CityOfficer)
        {
            var divisions = await cluster.GetGrain<IDirectoryGrain>(0).GetDivisions();
            if (!divisions.Any(d => d.Level == DivisionLevel.City && d.Code == body.City))
            {
                throw Invalid("city", "a city officer needs city: the GB/T 2260 code of a prefecture city, e.g. 440100");
            }

            city = body.City;
        }
        else if (body.City is not null)
        {
            throw Invalid("city", "a province supervisor is not confined to a city; leave city out");
        }

        var subject = string.IsNullOrWhiteSpace(body.Name) ? (city is null ? "dev-supervisor" : $"dev-officer-{city}") : body.Name.Trim();
        var (token, expiresAt) = issuer.Issue(subject, body.Role, city);
        return TypedResults.Ok(new DevToken(token, "Bearer", expiresAt, subject, body.Role, city));
    }

    private static Refusal Invalid(string field, string message) => Refusal.Invalid(field, message, "Invalid token request");
}

public sealed record DevTokenRequest(string? Role, string? City, string? Name);

public sealed record DevToken(string Token, string TokenType, DateTimeOffset ExpiresAt, string Subject, string Role, string? City);
