using System.Text.RegularExpressions;

namespace Evaluation.Contracts.Ingestion;

/// <summary>
/// Names of rating sources and the references that make a source's ids unique across sources. The default source
/// (the key of <c>EVAL_SOURCE_KEY</c>) keeps the bare ids every item was claimed under before sources had names, so
/// its re-sends of those items stay duplicates and its 差评's follow-up ids stay the ratings' ids; any other source's
/// item is referred to as <c>name:id</c>.
/// </summary>
public static partial class SourceNames
{
    public const string Default = "development";

    public const int MaxLength = 32;

    /// <summary>Lower-case letters, digits and hyphens, starting with a letter or digit: safe in keys, URLs and logs.</summary>
    public static bool IsValid(string? name) => name is { Length: > 0 and <= MaxLength } && NamePattern().IsMatch(name);

    /// <summary>The reference of a source's item: its id for the default source, <c>source:id</c> for any other.</summary>
    public static string Qualify(string source, string id) => source == Default ? id : $"{source}:{id}";

    /// <summary>
    /// Whether an id of the default source would read as another source's reference (<c>name:…</c>); such ids are
    /// refused, or the default source could claim another source's items.
    /// </summary>
    public static bool LooksQualified(string id)
    {
        var colon = id.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && IsValid(id[..colon]);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
