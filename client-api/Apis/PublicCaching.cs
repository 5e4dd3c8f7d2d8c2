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

    public static void AddPublicCaching(this IServiceCollection services) =>
        services.AddOutputCache(o =>
        {
            o.AddPolicy(InstitutionPolicy, policy => policy.Expire(InstitutionLifetime).SetVaryByQuery("*"));
            o.AddPolicy(AreaPolicy, policy => policy.Expire(AreaLifetime).SetVaryByQuery("*"));
        });
}
