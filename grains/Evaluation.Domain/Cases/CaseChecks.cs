using System.Text.Json;
using Evaluation.Contracts.Cases;

namespace Evaluation.Domain.Cases;

/// <summary>The refusals audits and follow-ups share, worded as the API's callers see them.</summary>
public static class CaseChecks
{
    public const int MaxNoteLength = 4000;

    public static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new AuditRefusedException(message);
        }
    }

    public static void CheckText(string? text, string field) =>
        Require(text is null || text.Length <= MaxNoteLength, $"{field}: at most {MaxNoteLength} characters");

    /// <summary>The kebab-case word the API uses, so messages match what callers send and read.</summary>
    public static string Name<T>(T value)
        where T : struct, Enum =>
        JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());
}
