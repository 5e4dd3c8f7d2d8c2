using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;

namespace Evaluation.ServiceDefaults;

/// <summary>
/// The short environment variables the README documents, each another name for one key of section
/// <c>Evaluation</c>. They sit beneath every other configuration source, so a value set under
/// <c>Evaluation:*</c> anywhere (appsettings, <c>Evaluation__*</c> variables, a test host) wins.
/// </summary>
public static class EnvironmentAliases
{
    /// <summary>Variable → configuration key; a switch takes only <c>true</c> as on, anything else as off.</summary>
    public static readonly IReadOnlyList<(string Variable, string Key, bool Switch)> All =
    [
        ("EVAL_DB", "Evaluation:ConnectionString", false),
        ("EVAL_SOURCE_KEY", "Evaluation:SourceKey", false),
        ("EVAL_ADMIN_KEY", "Evaluation:AdminKey", false),
        ("EVAL_JWT_KEY", "Evaluation:Jwt:SigningKey", false),
        ("EVAL_DEV_TOKENS", "Evaluation:DevTokens", true),
        ("EVAL_API_DOCS", "Evaluation:ApiDocs", true),
        ("EVAL_CONTACT_KEY", "Evaluation:ContactKey", false),
        ("EVAL_CONTACT_KEY_ID", "Evaluation:ContactKeyId", false),
    ];

    /// <summary>The configuration the aliases set, read through <paramref name="environment"/> (a variable's value, or null).</summary>
    public static Dictionary<string, string?> Values(Func<string, string?> environment) =>
        All.Select(a => (a.Key, a.Switch, Value: environment(a.Variable)))
            .Where(a => !string.IsNullOrEmpty(a.Value))
            .ToDictionary(a => a.Key, a => a.Switch ? (a.Value == "true" ? "true" : "false") : a.Value);

    public static void AddEnvironmentAliases(this IConfigurationManager configuration) =>
        configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Values(Environment.GetEnvironmentVariable) });
}
