using System.Text.Json;
using System.Text.Json.Nodes;

namespace Evaluation.UnitTests.Measures;

/// <summary>Measures as comparable text, to tell two ways of keeping the same events apart.</summary>
internal static class MeasureJson
{
    /// <summary>The value as JSON with every object's members in name order: a dictionary's order is no measure.</summary>
    public static string Of<T>(T value) => Sorted(JsonSerializer.SerializeToNode(value))?.ToJsonString() ?? "null";

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Sorted)]),
        _ => node?.DeepClone(),
    };
}
