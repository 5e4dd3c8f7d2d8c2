using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Evaluation.ClientApi.Extensions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.HttpOverrides;
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
        builder.Services.AddSingleton<Sources.SourceDirectory>();
        builder.Services.AddSingleton(settings.Jwt);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<DevTokenIssuer>();
        if (settings.InMemory)
        {
            builder.Services.AddSingleton<ITokenRevocations, InProcessTokenRevocations>();
            builder.Services.AddSingleton<Sources.ISourceStore, Sources.InProcessSourceStore>();
        }
        else
        {
            builder.Services.AddSingleton<ITokenRevocations, PostgresTokenRevocations>();
            builder.Services.AddSingleton<Sources.ISourceStore, Sources.PostgresSourceStore>();
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

        var limits = settings.RateLimits;
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = RejectAsync;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http => Partition(http, limits));
            o.AddConcurrencyLimiter(IngestionConcurrencyPolicy, c =>
            {
                c.PermitLimit = limits.IngestionConcurrency;
                c.QueueLimit = limits.IngestionQueue;
            });
            o.AddPolicy(StreamsPolicy, http => RateLimitPartition.GetConcurrencyLimiter(
                "streams:" + http.User.Identity?.Name,
                _ => new ConcurrencyLimiterOptions { PermitLimit = limits.StreamsPerUser, QueueLimit = 0 }));
        });

        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
#pragma warning disable ASPDEPR005 // The obsolete list also holds loopback by default; only the configured proxies count.
            o.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005
            settings.ForwardedHeaders.KnownProxies.ForEach(p => o.KnownProxies.Add(IPAddress.Parse(p)));
            settings.ForwardedHeaders.KnownNetworks.ForEach(n => o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(n)));
        });
    }

    /// <summary>Ingest batches handled at once per host (<see cref="RateLimitSettings.IngestionConcurrency"/>).</summary>
    public const string IngestionConcurrencyPolicy = "ingestion-concurrency";

    /// <summary>Alert streams open at once per person (<see cref="RateLimitSettings.StreamsPerUser"/>).</summary>
    public const string StreamsPolicy = "streams-per-user";

    /// <summary>
    /// The client's address from a known proxy first; then authentication, both schemes, so ingestion is limited
    /// per source rather than per address, and a wrong key stays anonymous (limited per address, never on a
    /// genuine source's budget).
    /// </summary>
    public static void UseAccessControl(this WebApplication app)
    {
        // With no proxy listed the middleware would believe any peer, so it runs only when some are configured.
        var proxies = app.Services.GetRequiredService<ApiSettings>().ForwardedHeaders;
        if (proxies.KnownProxies.Count > 0 || proxies.KnownNetworks.Count > 0)
        {
            app.UseForwardedHeaders();
        }

        app.UseAuthentication();
        app.Use(async (http, next) =>
        {
            if (http.User.Identity?.IsAuthenticated != true && http.Request.Headers.ContainsKey(SourceKeyAuthenticationHandler.Header)
                && await http.AuthenticateAsync(SourceKeyAuthenticationHandler.SchemeName) is { Succeeded: true } source)
            {
                http.User = source.Principal;
            }

            await next(http);
        });
        app.UseRateLimiter();
        app.UseAuthorization();
    }

    /// <summary>
    /// By path rather than per endpoint so every public read, portal pages included, shares one budget per client
    /// address; a source's budget follows its key wherever it connects from.
    /// </summary>
    private static RateLimitPartition<string> Partition(HttpContext http, RateLimitSettings limits)
    {
        var path = http.Request.Path;
        if (IsPublic(path) || IsPortalPage(path))
        {
            return Window("public:" + http.Connection.RemoteIpAddress, limits.PublicPerMinute);
        }

        if (IsIngestion(path))
        {
            if (!http.User.IsInRole(Roles.Source))
            {
                return Window("ingestion-unknown:" + http.Connection.RemoteIpAddress, limits.IngestionPerMinute);
            }

            // A source's own limit, when the admin API gave it one; the partition key carries it, so a changed limit
            // starts a window of its own.
            var own = http.User.FindFirst(SourceKeyAuthenticationHandler.PerMinuteClaim)?.Value;
            var perMinute = own is null ? limits.IngestionPerMinute : int.Parse(own, CultureInfo.InvariantCulture);
            return Window($"ingestion:{perMinute}:{http.User.Identity!.Name}", perMinute);
        }

        return RateLimitPartition.GetNoLimiter("unlimited");
    }

    /// <summary>True for the API paths the global limiter counts (the OpenAPI document lists their 429).</summary>
    public static bool HasRequestBudget(PathString path) => IsPublic(path) || IsIngestion(path);

    private static bool IsPublic(PathString path) => path.StartsWithSegments("/api/v1/public");

    private static bool IsIngestion(PathString path) =>
        path.StartsWithSegments("/api/v1/evaluations") || path.StartsWithSegments("/api/v1/service-records");

    /// <summary>The public portal's pages (not the consoles, static files or the API).</summary>
    private static bool IsPortalPage(PathString path) =>
        path == "/" || path.StartsWithSegments("/cities") || path.StartsWithSegments("/counties") || path.StartsWithSegments("/institutions");

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
            : 5;
        var http = context.HttpContext;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await TypedResults.Problem(
                title: "Too many requests",
                detail: $"The rate limit of this endpoint is reached; try again in {seconds} s.",
                statusCode: StatusCodes.Status429TooManyRequests)
            .ExecuteAsync(http);
    }
}
