using System.Collections.Frozen;
using System.Text.Json;

namespace Evaluation.Domain.Registry;

/// <summary>
/// The kebab-case names the SPEC uses for enums on the wire and in data files
/// (<c>comprehensive-centre</c>, <c>geographical-indication</c>, <c>working-days</c>).
/// Derived from the member names with the same policy System.Text.Json uses, so a
/// <c>JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower)</c> elsewhere agrees with it.
/// </summary>
public static class KebabCase
{
    public static string Name<TEnum>(TEnum value)
        where TEnum : struct, Enum => Names<TEnum>.ByValue.TryGetValue(value, out var name)
            ? name
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"Not a defined {typeof(TEnum).Name}.");

    /// <summary>Exact, case-sensitive match: data files and API bodies must use the published spelling.</summary>
    public static bool TryParse<TEnum>(string? text, out TEnum value)
        where TEnum : struct, Enum
    {
        if (text is not null && Names<TEnum>.ByName.TryGetValue(text, out value))
            return true;
        value = default;
        return false;
    }

    /// <summary>The accepted spellings, for error messages that tell the sender what would have worked.</summary>
    public static string Choices<TEnum>()
        where TEnum : struct, Enum => string.Join(", ", Enum.GetValues<TEnum>().Select(Name));

    private static class Names<TEnum>
        where TEnum : struct, Enum
    {
        public static readonly FrozenDictionary<TEnum, string> ByValue = Enum.GetValues<TEnum>()
            .ToFrozenDictionary(v => v, v => JsonNamingPolicy.KebabCaseLower.ConvertName(v.ToString()));

        public static readonly FrozenDictionary<string, TEnum> ByName = ByValue
            .ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
    }
}
