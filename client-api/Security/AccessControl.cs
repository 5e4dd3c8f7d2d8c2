using System.Globalization;
using System.Threading.RateLimiting;
using Evaluation.ClientApi.Extensions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.IdentityModel.Tokens;

namespace Evaluation.ClientApi.Security;

/// <summary>
/// Authentication (JWT bearer for people, hashed API keys for rating sources), the role policies, and the
/// rate limits of the public and ingestion endpoints.
/// </summary>
public static class AccessControl
{
    public static void AddAccessControl(this WebApplicationBuilder builder, ApiSettings settings)
    {
        var hashed = new Dictionary<string, string>(settings.SourceKeys, StringComparer.Ordinal)
        {
            [SourceKeyStore.DevelopmentSource] = SourceKeyHash.Create(settings.SourceKey),
        };
        builder.Services.AddSingleton(new SourceKeyStore(hashed));
        builder.Services.AddSingleton(settings.Jwt);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<DevTokenIssuer>();
        if (settings.InMemory)
        {
            builder.Services.AddSingleton<ITokenRevocations, InProcessTokenRevocations>();
        }
        else
        {
            builder.Services.AddSingleton<ITokenRevocations, PostgresTokenRevocations>();
        }

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(o =>
            {
                o.MapInboundClaims = false;
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = settings.Jwt.Issuer,
                    ValidAudience = settings.Jwt.Audience,
                    IssuerSigningKeys = settings.Jwt.ValidationKeys(),
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256, SecurityAlgorithms.EcdsaSha256],
                    NameClaimType = "sub",
                    RoleClaimType = "role",
                    ClockSkew = TokenRules.ClockSkew,
                };
                o.Events = new JwtBearerEvents { OnTokenValidated = TokenRules.CheckAsync };
            })
            .AddScheme<AuthenticationSchemeOptions, SourceKeyAuthenticationHandler>(SourceKeyAuthenticationHandler.SchemeName, null);

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Roles.SupervisorPolicy, p => p
                .AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme)
                .RequireRole(Roles.Supervisor))
            .AddPolicy(Roles.StaffPolicy, p => p
                .AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme)
                .RequireAssertion(c => c.User.IsSupervisor() || (c.User.IsInRole(Roles.CityOfficer) && c.User.HasClaim(x => x.Type == Roles.CityClaim))))
            .AddPolicy(Roles.SourcePolicy, p => p
                .AddAuthenticationSchemes(SourceKeyAuthenticationHandler.SchemeName)
                .RequireRole(Roles.Source));

        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = RejectAsync;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http => Partition(http, settings.RateLimits));
        });
    }

    /// <summary>Authentication first, so ingestion is limited per source rather than per address.</summary>
    public static void UseAccessControl(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
    }

    /// <summary>
    /// By path rather than per endpoint so every public read, pages included, shares one budget per client
    /// address; a source's budget follows its key wherever it connects from.
    /// </summary>
    private static RateLimitPartition<string> Partition(HttpContext http, RateLimitSettings limits)
    {
        var path = http.Request.Path;
        if (path.StartsWithSegments("/api/v1/public"))
        {
            return Window("public:" + http.Connection.RemoteIpAddress, limits.PublicPerMinute);
        }

        if (path.StartsWithSegments("/api/v1/evaluations") || path.StartsWithSegments("/api/v1/service-records"))
        {
            var source = http.User.IsInRole(Roles.Source) ? http.User.Identity!.Name : "unknown:" + http.Connection.RemoteIpAddress;
            return Window("ingestion:" + source, limits.IngestionPerMinute);
        }

        return RateLimitPartition.GetNoLimiter("unlimited");
    }

    private static RateLimitPartition<string> Window(string key, int perMinute) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = perMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 60;
        var http = context.HttpContext;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await TypedResults.Problem(
                title: "Too many requests",
                detail: $"The rate limit of this endpoint is reached; try again in {seconds} s.",
                statusCode: StatusCodes.Status429TooManyRequests)
            .ExecuteAsync(http);
    }
}
