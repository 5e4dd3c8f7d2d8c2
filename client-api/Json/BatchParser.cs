using System.Globalization;
using System.Text.Json;
using Evaluation.Contracts.Ingestion;

namespace Evaluation.ClientApi.Json;

/// <summary>An item the parser could read, or the type errors that stop it from being read.</summary>
public readonly record struct ParsedItem<T>(T? Item, string? Id, IReadOnlyList<FieldError> Errors)
    where T : class;

/// <summary>
/// Reads an ingest batch item by item. A wrong type in one item rejects that item with the field named,
/// and the rest of the batch still goes through; only a body that is not a batch at all fails as a whole.
/// </summary>
public static class BatchParser
{
    public const int MaxItems = 5000;

    /// <summary>The items array of a batch body, or a sentence saying why the body is not a batch.</summary>
    public static (JsonElement Items, string? Problem) ReadBatch(JsonDocument document)
    {
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return (default, "the body must be a JSON object of the form { \"items\": [ … ] }");
        }

        if (!document.RootElement.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            return (default, "the body must have an \"items\" array");
        }

        var count = items.GetArrayLength();
        return count is < 1 or > MaxItems
            ? (default, $"\"items\" must hold from 1 to {MaxItems} items, got {count}")
            : (items, null);
    }

    public static ParsedItem<EvaluationInput> Evaluation(JsonElement element, int index)
    {
        var reader = new ItemReader(element, index);
        if (!reader.IsObject)
        {
            return new(null, null, reader.Errors);
        }

        var contact = reader.Object("contact");
        var item = new EvaluationInput(
            reader.String("id"),
            reader.String("institutionId"),
            reader.String("serviceItem"),
            reader.String("channel"),
            reader.Integer("level"),
            reader.StringArray("tags"),
            reader.String("comment"),
            reader.Boolean("realName") ?? false,
            contact is { } c ? new Contact(reader.String(c, "contact.name"), reader.String(c, "contact.phone")) : null,
            reader.Time("occurredAt"),
            reader.String("serviceRecordId"));
        return reader.Result(item, item.Id);
    }

    public static ParsedItem<ServiceRecordInput> ServiceRecord(JsonElement element, int index)
    {
        var reader = new ItemReader(element, index);
        if (!reader.IsObject)
        {
            return new(null, null, reader.Errors);
        }

        var item = new ServiceRecordInput(
            reader.String("id"),
            reader.String("institutionId"),
            reader.String("serviceItem"),
            reader.String("channel"),
            reader.Time("acceptedAt"),
            reader.Time("completedAt"));
        return reader.Result(item, item.Id);
    }

    private sealed class ItemReader
    {
        private readonly JsonElement element;
        private readonly int index;

        public ItemReader(JsonElement element, int index)
        {
            this.element = element;
            this.index = index;
            if (!IsObject)
            {
                Errors.Add(new($"items[{index}]", "each item must be a JSON object"));
            }
            else
            {
                RejectDuplicates(element, "");
            }
        }

        public List<FieldError> Errors { get; } = [];

        public bool IsObject => element.ValueKind == JsonValueKind.Object;

        public ParsedItem<T> Result<T>(T item, string? id)
            where T : class => Errors.Count == 0 ? new(item, id, []) : new(null, id, Errors);

        public string? String(string name) => String(element, name);

        public string? String(JsonElement parent, string path)
        {
            var value = Property(parent, path);
            if (value is not { } v)
            {
                return null;
            }

            if (v.ValueKind == JsonValueKind.String)
            {
                return v.GetString();
            }

            Fail(path, "must be a string");
            return null;
        }

        public int? Integer(string name)
        {
            if (Property(element, name) is not { } v)
            {
                return null;
            }

            if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var number))
            {
                return number;
            }

            Fail(name, "must be a whole number");
            return null;
        }

        public bool? Boolean(string name)
        {
            if (Property(element, name) is not { } v)
            {
                return null;
            }

            if (v.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                return v.GetBoolean();
            }

            Fail(name, "must be true or false");
            return null;
        }

        public IReadOnlyList<string>? StringArray(string name)
        {
            if (Property(element, name) is not { } v)
            {
                return null;
            }

            if (v.ValueKind == JsonValueKind.Array && v.EnumerateArray().All(t => t.ValueKind == JsonValueKind.String))
            {
                return [.. v.EnumerateArray().Select(t => t.GetString()!)];
            }

            Fail(name, "must be an array of strings");
            return null;
        }

        public JsonElement? Object(string name)
        {
            if (Property(element, name) is not { } v)
            {
                return null;
            }

            if (v.ValueKind == JsonValueKind.Object)
            {
                return v;
            }

            Fail(name, "must be an object");
            return null;
        }

        /// <summary>ISO-8601 with an explicit offset: a time without one is ambiguous between UTC and Beijing time.</summary>
        public DateTimeOffset? Time(string name)
        {
            var text = String(name);
            if (text is null)
            {
                return null;
            }

            var hasOffset = text.Length > 10 && (text.EndsWith('Z') || text.EndsWith('z') || text[10..].Contains('+') || text.LastIndexOf('-') > 10);
            if (hasOffset && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
            {
                return value;
            }

            Fail(name, "must be an ISO-8601 time with offset, e.g. 2026-11-24T10:03:00+08:00");
            return null;
        }

        /// <summary>JsonDocument keeps every copy of a repeated name; which one counts must not be left to chance.</summary>
        private void RejectDuplicates(JsonElement item, string prefix)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in item.EnumerateObject())
            {
                var path = prefix + property.Name;
                if (!seen.Add(property.Name))
                {
                    Fail(path, "is given more than once (duplicate property)");
                }
                else if (property.Value.ValueKind == JsonValueKind.Object)
                {
                    RejectDuplicates(property.Value, path + ".");
                }
            }
        }

        private static JsonElement? Property(JsonElement parent, string path)
        {
            var name = path[(path.LastIndexOf('.') + 1)..];
            return parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
                ? value
                : null;
        }

        private void Fail(string path, string rule) => Errors.Add(new($"items[{index}].{path}", $"{path} {rule}"));
    }
}
