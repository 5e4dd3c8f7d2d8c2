using System.Text.Json;
using Evaluation.Contracts.Ingestion;

namespace Evaluation.Domain.Data;

/// <summary>The outcome of reading an operator's data file: the whole value, or every problem found and no value.</summary>
public sealed record DataFileResult<T>(T? Value, IReadOnlyList<FieldError> Errors)
    where T : class
{
    public bool IsValid => Errors.Count == 0 && Value is not null;

    /// <summary>The value, for files that ship with the system and must be right; a broken one stops the process with every problem named.</summary>
    public T OrThrow(string what) => Value is { } value && Errors.Count == 0
        ? value
        : throw new InvalidDataException($"{what} is invalid: {string.Join("; ", Errors.Take(10).Select(e => $"{e.Field}: {e.Message}"))}");
}

/// <summary>Reads the JSON of a data file, turning a syntax or shape error into a field error with its path.</summary>
internal static class DataFile
{
    public static TFile? Read<TFile>(string json, string what, List<FieldError> errors)
        where TFile : class
    {
        try
        {
            var file = JsonSerializer.Deserialize<TFile>(json, DataJson.Options);
            if (file is null)
                errors.Add(new FieldError("$", $"not a valid {what}: the file is empty"));
            return file;
        }
        catch (JsonException ex)
        {
            var field = ex.Path is null or "$" ? "$" : ex.Path.TrimStart('$', '.');
            errors.Add(new FieldError(field, $"not a valid {what}: {ex.Message}"));
            return null;
        }
    }

    /// <summary>Reports every repeat of a key after its first occurrence, naming where it first appeared.</summary>
    public static void CheckUnique(IEnumerable<(string? Key, string Field)> keys, string what, List<FieldError> errors)
    {
        var first = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, field) in keys)
        {
            if (key is null)
                continue;
            if (!first.TryAdd(key, field))
                errors.Add(new FieldError(field, $"duplicate {what} '{key}' (first at {first[key]})"));
        }
    }
}
