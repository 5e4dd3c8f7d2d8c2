namespace Evaluation.ClientApi.Security;

/// <summary>
/// The headers every answer carries: no sniffing, no referrer across origins, no framing, and a content
/// security policy that allows only this origin's own files (the pages have no inline scripts or styles, the
/// chart library is served from wwwroot, the favicon is an empty data: URL). Outside Development, HSTS too, on
/// every answer: behind a TLS-terminating proxy this host sees plain HTTP, and browsers ignore it on HTTP.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    public const string StrictTransportSecurity = "max-age=31536000";

    /// <summary>The API reference page loads its viewer from a CDN with inline scripts; it keeps only the framing rule.</summary>
    public const string ApiReferencePath = "/scalar";

    public static void UseSecurityHeaders(this WebApplication app)
    {
        var https = !app.Environment.IsDevelopment();
        // As the answer starts, so a refusal answered by the exception handler (which clears the headers) has them
        // too; an endpoint's own, stricter policy (a report page's) is kept.
        app.Use((http, next) =>
        {
            http.Response.OnStarting(() =>
            {
                var headers = http.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "same-origin";
                headers.TryAdd("Content-Security-Policy", http.Request.Path.StartsWithSegments(ApiReferencePath)
                    ? "frame-ancestors 'none'"
                    : ContentSecurityPolicy);
                if (https)
                {
                    headers.StrictTransportSecurity = StrictTransportSecurity;
                }

                return Task.CompletedTask;
            });
            return next(http);
        });
    }
}
