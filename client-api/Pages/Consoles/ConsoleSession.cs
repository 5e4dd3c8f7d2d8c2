using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace Evaluation.ClientApi.Pages.Consoles;

/// <summary>
/// Signing in to the consoles: a browser cannot send a bearer header on navigation, so the console keeps the
/// project's own JWT (from <c>ops/token</c> or the organisation's issuer) in an HttpOnly, SameSite=Strict
/// cookie scoped to <c>/console</c>, and the existing bearer scheme reads it there. API endpoints never look
/// at the cookie, so a cookie can never be used to call the API across sites.
/// </summary>
public static class ConsoleSession
{
    public const string CookieName = "evaluation-console";
    public const string PathBase = "/console";

    public static void AddConsoleSession(this IServiceCollection services) =>
        services.AddSingleton<IPostConfigureOptions<JwtBearerOptions>, ReadTokenFromCookie>();

    public static void SignIn(HttpResponse response, string token, DateTimeOffset? expires) =>
        response.Cookies.Append(CookieName, token, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            // Outside Development always: behind a TLS-terminating proxy the request this host sees is plain HTTP.
            Secure = response.HttpContext.Request.IsHttps || !IsDevelopment(response),
            Path = PathBase,
            Expires = expires,
        });

    public static void SignOut(HttpResponse response) => response.Cookies.Delete(CookieName, new CookieOptions
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = response.HttpContext.Request.IsHttps || !IsDevelopment(response),
        Path = PathBase,
    });

    private static bool IsDevelopment(HttpResponse response) =>
        response.HttpContext.RequestServices.GetRequiredService<IWebHostEnvironment>().IsDevelopment();

    private sealed class ReadTokenFromCookie : IPostConfigureOptions<JwtBearerOptions>
    {
        public void PostConfigure(string? name, JwtBearerOptions options)
        {
            if (name != JwtBearerDefaults.AuthenticationScheme)
            {
                return;
            }

            options.Events ??= new JwtBearerEvents();
            var earlier = options.Events.OnMessageReceived;
            options.Events.OnMessageReceived = async context =>
            {
                await earlier(context);
                var request = context.Request;
                if (context.Token is null && !request.Headers.Authorization.Any() && request.Path.StartsWithSegments(PathBase)
                    && request.Cookies.TryGetValue(CookieName, out var token))
                {
                    context.Token = token;
                }
            };
        }
    }
}
