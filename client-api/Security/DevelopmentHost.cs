namespace Evaluation.ClientApi.Security;

/// <summary>
/// Decides whether this start is a developer's machine: the Development environment, and every address the
/// host listens on a loopback address. Only there may the published development key, placeholders, short keys
/// and the development token issuer be used; anywhere else they refuse to start.
/// </summary>
public static class DevelopmentHost
{
    /// <summary>The source key in the README and ops/run; anyone may know it.</summary>
    public const string PublishedSourceKey = "dev-source-key";

    public const int MinimumKeyLength = 32;

    private static readonly string[] Placeholders = ["replace-me", "replaceme", "change-me", "changeme"];

    public static bool IsDevelopmentOnLoopback(IHostEnvironment environment, IConfiguration configuration) =>
        environment.IsDevelopment() && ListensOnLoopbackOnly(configuration);

    /// <summary>
    /// From <c>Urls</c> (also <c>--urls</c>, <c>ASPNETCORE_URLS</c>) and <c>Kestrel:Endpoints</c>; <c>HTTP_PORTS</c>
    /// listens on every address. Nothing configured means Kestrel's default, http://localhost:5000.
    /// </summary>
    public static bool ListensOnLoopbackOnly(IConfiguration configuration)
    {
        if (!string.IsNullOrEmpty(configuration["http_ports"]) || !string.IsNullOrEmpty(configuration["https_ports"]))
        {
            return false;
        }

        var urls = (configuration[WebHostDefaults.ServerUrlsKey] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Concat(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"] ?? ""));
        return urls.All(IsLoopbackUrl);
    }

    /// <summary>Why <paramref name="key"/> must not protect anything outside development, or null when it may.</summary>
    public static string? Weakness(string key)
    {
        if (key == PublishedSourceKey)
        {
            return "is the published development key";
        }

        if (Placeholders.Any(p => key.Contains(p, StringComparison.OrdinalIgnoreCase)))
        {
            return "is a placeholder";
        }

        return key.Length < MinimumKeyLength ? $"is shorter than {MinimumKeyLength} characters" : null;
    }

    // Kestrel's wildcards (*, +) are not host names; a URL that does not parse is not known to be loopback.
    private static bool IsLoopbackUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.IsLoopback;
}
