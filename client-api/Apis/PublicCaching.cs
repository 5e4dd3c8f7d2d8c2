using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Evaluation.ClientApi.Apis;

/// <summary>
/// How long an API host serves a public answer (JSON read or portal page) again from memory, by what the answer
/// shows. Each lifetime is what the freshness goal leaves after the pipeline's own delay (ops/bench: a rating
/// reaches the institution in 435 ms at p99 against a goal of 1 s, the province in 537 ms against 2 s), so a cached
/// answer never shows a rating later than the goal allows. Eviction by lifetime rather than by the grain's
/// version: every host would have to hear of every change, and one grain call per second per page is already cheap.
/// Signed-in staff are never served from, nor written to, the cache: the default rules skip any request with a
/// user or an Authorization header and any answer that sets a cookie, and no console carries these policies.
/// </summary>
public static class PublicCaching
{
    /// <summary>Answers that show one institution's measures (its page, its reads, lists of institutions with scores).</summary>
    public const string InstitutionPolicy = "public-institution";

    /// <summary>Answers built from city, county, region or province totals, or from the registry alone.</summary>
    public const string AreaPolicy = "public-area";

    public static readonly TimeSpan InstitutionLifetime = TimeSpan.FromMilliseconds(500);

    public static readonly TimeSpan AreaLifetime = TimeSpan.FromSeconds(1);

    public static void AddPublicCaching(this IServiceCollection services)
    {
        // Keyed by Accept-Encoding too: the cache keeps each page compressed once, not once per request.
        services.AddOutputCache(o =>
        {
            o.AddPolicy(InstitutionPolicy, policy => policy.Expire(InstitutionLifetime).SetVaryByQuery("*").SetVaryByHeader(HeaderNames.AcceptEncoding));
            o.AddPolicy(AreaPolicy, policy => policy.Expire(AreaLifetime).SetVaryByQuery("*").SetVaryByHeader(HeaderNames.AcceptEncoding));
        });
        services.AddResponseCompression(o => o.EnableForHttps = true);
    }

    /// <summary>
    /// Compresses answers to requests that carry no credential (no Authorization header, no cookie): a page is some
    /// 60 KB of HTML, and sending a tenth of that is what lets a host serve thousands of them a second. Requests with
    /// a credential are left alone, so no secret is ever compressed beside text an attacker chose (BREACH).
    /// Call after <c>UseOutputCache</c>, so the cache stores the compressed answer.
    /// </summary>
    public static void UsePublicCompression(this IApplicationBuilder app) =>
        app.UseWhen(
            context => HttpMethods.IsGet(context.Request.Method)
                && StringValues.IsNullOrEmpty(context.Request.Headers.Authorization)
                && StringValues.IsNullOrEmpty(context.Request.Headers.Cookie),
            branch => branch.UseResponseCompression());
}
