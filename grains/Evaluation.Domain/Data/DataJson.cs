using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Evaluation.Domain.Data;

/// <summary>How the data files (embedded or imported) are read and written.</summary>
internal static class DataJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        // A misspelt field in an operator's file must be reported, not silently ignored.
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        // Keeps Chinese names readable in the files people review and diff.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
