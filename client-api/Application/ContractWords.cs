using System.Text.Json;

namespace Evaluation.ClientApi.Application;

/// <summary>
/// The kebab-case words of the contract for enum values (e.g. <c>comprehensive-centre</c>), as callers send and read
/// them in JSON, query strings and forms: written, listed and read back in this one place.
/// </summary>
public static class ContractWords
{
    public static string Word<T>(T value)
        where T : struct, Enum => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    /// <summary>Every word of <typeparamref name="T"/>, for a message that says which are allowed.</summary>
    public static string Words<T>()
        where T : struct, Enum => string.Join(", ", Enum.GetValues<T>().Select(v => Word(v)));

    /// <summary>The value <paramref name="word"/> names (letter case aside); false for any other word.</summary>
    public static bool TryParse<T>(string? word, out T value)
        where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (string.Equals(Word(candidate), word, StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>The value an optional field names; null when the field is absent, a refusal naming it when the word is unknown.</summary>
    public static T? Parse<T>(string? word, string field)
        where T : struct, Enum
    {
        if (word is null)
        {
            return null;
        }

        return TryParse<T>(word, out var value)
            ? value
            : throw Refusal.Invalid(field, $"{field} must be one of {Words<T>()}");
    }
}
