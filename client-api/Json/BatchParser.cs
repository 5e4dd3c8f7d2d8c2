using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Evaluation.Contracts.Ingestion;

namespace Evaluation.ClientApi.Json;

/// <summary>An item the parser could read, or the type errors that stop it from being read.</summary>
public readonly record struct ParsedItem<T>(T? Item, string? Id, IReadOnlyList<FieldError> Errors)
    where T : class;

/// <summary>The items of a batch body, or a sentence saying why the body is not a batch.</summary>
public readonly record struct ParsedBatch<T>(IReadOnlyList<ParsedItem<T>> Items, string? Problem)
    where T : class;

/// <summary>Reads one item at the reader's position (the item's first token), leaving the reader on its last.</summary>
public delegate ParsedItem<T> ItemParser<T>(ref Utf8JsonReader reader, int index)
    where T : class;

/// <summary>
/// Reads an ingest batch item by item, straight from the body's bytes into the items (no document in between:
/// building a JsonDocument and looking each field up in it was most of the API host's CPU per rating). A wrong type
/// in one item rejects that item with the field named, and the rest of the batch still goes through; only a body
/// that is not a batch at all fails as a whole, and a body that is not JSON throws <see cref="JsonException"/>.
/// </summary>
public static class BatchParser
{
    public const int MaxItems = 5000;

    private static readonly JsonReaderOptions Options = new() { MaxDepth = 16 };

    private static readonly ItemSchema EvaluationSchema = new(
        // The order errors are reported in: the contact's shape first, then the fields as the item lists them.
        ["contact", "id", "institutionId", "serviceItem", "channel", "level", "tags", "comment", "realName", "contact.name", "contact.phone", "occurredAt", "serviceRecordId"],
        new Dictionary<string, FieldKind>
        {
            ["contact"] = FieldKind.Object,
            ["level"] = FieldKind.Integer,
            ["tags"] = FieldKind.StringArray,
            ["realName"] = FieldKind.Boolean,
            ["occurredAt"] = FieldKind.Time,
        });

    private static readonly ItemSchema ServiceRecordSchema = new(
        ["id", "institutionId", "serviceItem", "channel", "acceptedAt", "completedAt"],
        new Dictionary<string, FieldKind> { ["acceptedAt"] = FieldKind.Time, ["completedAt"] = FieldKind.Time });

    /// <summary>Reads a whole body; the whole of it must be JSON, whatever its shape, as a document parse would require.</summary>
    public static ParsedBatch<T> Read<T>(ReadOnlySequence<byte> body, ItemParser<T> parse)
        where T : class
    {
        var reader = new Utf8JsonReader(body, Options);
        if (!reader.Read())
        {
            throw new JsonException("The body is empty.");
        }

        string? problem = null;
        List<ParsedItem<T>>? items = null;
        var count = 0;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            problem = "the body must be a JSON object of the form { \"items\": [ … ] }";
            reader.Skip();
        }
        else
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isItems = reader.ValueTextEquals("items"u8);
                reader.Read();
                if (!isItems)
                {
                    reader.Skip();
                }
                else if (reader.TokenType == JsonTokenType.StartArray)
                {
                    // A repeated name counts as its last copy, as it did when read from a document.
                    (items, count) = ReadItems(ref reader, parse);
                }
                else
                {
                    (items, count) = (null, 0);
                    reader.Skip();
                }
            }

            problem = items is null
                ? "the body must have an \"items\" array"
                : count is < 1 or > MaxItems ? $"\"items\" must hold from 1 to {MaxItems} items, got {count}" : null;
        }

        // Anything after the body's one value is not JSON.
        if (reader.Read())
        {
            throw new JsonException("The body holds more than one JSON value.");
        }

        return new(problem is null ? items! : [], problem);
    }

    private static (List<ParsedItem<T>> Items, int Count) ReadItems<T>(ref Utf8JsonReader reader, ItemParser<T> parse)
        where T : class
    {
        var items = new List<ParsedItem<T>>();
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            // Past the limit the batch is refused whole; the rest is only read through, to count and check it.
            if (count < MaxItems)
            {
                items.Add(parse(ref reader, count));
            }
            else
            {
                reader.Skip();
            }

            count++;
        }

        return (items, count);
    }

    public static ParsedItem<EvaluationInput> Evaluation(ref Utf8JsonReader reader, int index) =>
        Parse(ref reader, EvaluationSchema, index, item => new EvaluationInput(
            item.String("id"), item.String("institutionId"), item.String("serviceItem"), item.String("channel"),
            item.Value<int?>("level"),
            item.Value<IReadOnlyList<string>>("tags"),
            item.String("comment"),
            item.Value<bool?>("realName") ?? false,
            item.Has("contact") ? new Contact(item.String("contact.name"), item.String("contact.phone")) : null,
            item.Value<DateTimeOffset?>("occurredAt"),
            item.String("serviceRecordId")));

    public static ParsedItem<ServiceRecordInput> ServiceRecord(ref Utf8JsonReader reader, int index) =>
        Parse(ref reader, ServiceRecordSchema, index, item => new ServiceRecordInput(
            item.String("id"), item.String("institutionId"), item.String("serviceItem"), item.String("channel"),
            item.Value<DateTimeOffset?>("acceptedAt"),
            item.Value<DateTimeOffset?>("completedAt")));

    private static ParsedItem<T> Parse<T>(ref Utf8JsonReader reader, ItemSchema schema, int index, Func<ItemReader, T> build)
        where T : class
    {
        var item = new ItemReader(schema, index);
        return item.Read(ref reader) ? item.Result(build(item)) : item.NotAnObject<T>();
    }

    private enum FieldKind
    {
        String,
        Integer,
        Boolean,
        StringArray,
        Time,
        Object,
    }

    /// <summary>
    /// The fields of one kind of item, by path ("contact.name" for a member of the contact object), in the order
    /// errors are reported; a field not named in <c>kinds</c> is a string.
    /// </summary>
    private sealed class ItemSchema
    {
        public ItemSchema(string[] paths, Dictionary<string, FieldKind> kinds)
        {
            Paths = paths;
            Kinds = [.. paths.Select(path => kinds.GetValueOrDefault(path, FieldKind.String))];
            Names = [.. paths.Select(path => Encoding.UTF8.GetBytes(path[(path.LastIndexOf('.') + 1)..]))];
            Parents = [.. paths.Select(path => path.Contains('.', StringComparison.Ordinal) ? Array.IndexOf(paths, path[..path.IndexOf('.', StringComparison.Ordinal)]) : -1)];
        }

        public string[] Paths { get; }

        public FieldKind[] Kinds { get; }

        /// <summary>Each field's own name, as the JSON names it inside its object.</summary>
        public byte[][] Names { get; }

        /// <summary>The slot of the object a field is a member of; -1 for a field of the item itself.</summary>
        public int[] Parents { get; }

        public int SlotOf(string path) => Array.IndexOf(Paths, path);
    }

    /// <summary>
    /// One item read into slots, one per field of its schema. A field given more than once counts as its last copy
    /// and is an error of its own, as is a repeated name in any object inside the item; null counts as absent.
    /// </summary>
    private sealed class ItemReader(ItemSchema schema, int index)
    {
        private readonly object?[] values = new object?[schema.Paths.Length];
        private readonly bool[] present = new bool[schema.Paths.Length];
        private readonly string?[] failures = new string?[schema.Paths.Length];
        private readonly List<FieldError> repeated = [];

        public bool Read(ref Utf8JsonReader reader)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                return false;
            }

            ReadObject(ref reader, parent: -1, prefix: "");
            return true;
        }

        public ParsedItem<T> NotAnObject<T>()
            where T : class => new(null, null, [new($"items[{index}]", "each item must be a JSON object")]);

        public bool Has(string path) => present[schema.SlotOf(path)];

        public string? String(string path) => Value<string>(path);

        public TValue? Value<TValue>(string path) => values[schema.SlotOf(path)] is TValue value ? value : default;

        public ParsedItem<T> Result<T>(T item)
            where T : class
        {
            var id = String("id");
            var errors = new List<FieldError>(repeated);
            for (var slot = 0; slot < failures.Length; slot++)
            {
                if (failures[slot] is { } rule)
                {
                    errors.Add(new($"items[{index}].{schema.Paths[slot]}", $"{schema.Paths[slot]} {rule}"));
                }
            }

            return errors.Count == 0 ? new(item, id, []) : new(null, id, errors);
        }

        /// <summary>Reads the members of the object at the reader (the item, or a field of it that is an object).</summary>
        private void ReadObject(ref Utf8JsonReader reader, int parent, string prefix)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var slot = FieldAt(ref reader, parent);
                var name = slot >= 0 ? schema.Paths[slot][prefix.Length..] : reader.GetString()!;
                if (!seen.Add(name))
                {
                    repeated.Add(new($"items[{index}].{prefix}{name}", $"{prefix}{name} is given more than once (duplicate property)"));
                }

                reader.Read();
                if (slot >= 0)
                {
                    ReadField(ref reader, slot);
                }
                else
                {
                    SkipValue(ref reader, prefix + name + ".");
                }
            }
        }

        private int FieldAt(ref Utf8JsonReader reader, int parent)
        {
            for (var slot = 0; slot < schema.Paths.Length; slot++)
            {
                if (schema.Parents[slot] == parent && reader.ValueTextEquals(schema.Names[slot]))
                {
                    return slot;
                }
            }

            return -1;
        }

        private void ReadField(ref Utf8JsonReader reader, int slot)
        {
            values[slot] = null;
            present[slot] = false;
            failures[slot] = null;
            if (schema.Kinds[slot] == FieldKind.Object)
            {
                // A repeated object counts as its last copy: forget what an earlier copy gave its members.
                for (var member = 0; member < values.Length; member++)
                {
                    if (schema.Parents[member] == slot)
                    {
                        values[member] = null;
                        present[member] = false;
                        failures[member] = null;
                    }
                }
            }

            if (reader.TokenType == JsonTokenType.Null)
            {
                return;
            }

            present[slot] = true;
            (object? value, string? rule) = schema.Kinds[slot] switch
            {
                FieldKind.String when reader.TokenType == JsonTokenType.String => (reader.GetString(), null),
                FieldKind.String => (null, "must be a string"),
                FieldKind.Integer when reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var number) => (number, null),
                FieldKind.Integer => (null, "must be a whole number"),
                FieldKind.Boolean when reader.TokenType is JsonTokenType.True or JsonTokenType.False => (reader.GetBoolean(), null),
                FieldKind.Boolean => (null, "must be true or false"),
                FieldKind.Time when reader.TokenType == JsonTokenType.String => Time(reader.GetString()!),
                FieldKind.Time => (null, "must be a string"),
                FieldKind.StringArray when reader.TokenType == JsonTokenType.StartArray => Strings(ref reader),
                FieldKind.StringArray => (null, "must be an array of strings"),
                FieldKind.Object when reader.TokenType == JsonTokenType.StartObject => (null, null),
                _ => (null, "must be an object"),
            };
            values[slot] = value;
            failures[slot] = rule;
            if (schema.Kinds[slot] == FieldKind.Object && reader.TokenType == JsonTokenType.StartObject)
            {
                ReadObject(ref reader, slot, schema.Paths[slot] + ".");
            }
            else if (rule is not null)
            {
                SkipValue(ref reader, schema.Paths[slot] + ".");
            }
        }

        /// <summary>Past a value nobody reads; an object's names are still checked for repeats.</summary>
        private void SkipValue(ref Utf8JsonReader reader, string prefix)
        {
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                var seen = new HashSet<string>(StringComparer.Ordinal);
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString()!;
                    if (!seen.Add(name))
                    {
                        repeated.Add(new($"items[{index}].{prefix}{name}", $"{prefix}{name} is given more than once (duplicate property)"));
                    }

                    reader.Read();
                    SkipValue(ref reader, prefix + name + ".");
                }
            }
            else
            {
                reader.Skip();
            }
        }

        private static (object? Value, string? Rule) Strings(ref Utf8JsonReader reader)
        {
            var strings = new List<string>();
            var allStrings = true;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType == JsonTokenType.String)
                {
                    strings.Add(reader.GetString()!);
                }
                else
                {
                    allStrings = false;
                    reader.Skip();
                }
            }

            return allStrings ? (strings, null) : (null, "must be an array of strings");
        }

        /// <summary>ISO-8601 with an explicit offset: a time without one is ambiguous between UTC and Beijing time.</summary>
        private static (object? Value, string? Rule) Time(string text)
        {
            var hasOffset = text.Length > 10 && (text.EndsWith('Z') || text.EndsWith('z') || text[10..].Contains('+') || text.LastIndexOf('-') > 10);
            return hasOffset && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value)
                ? (value, null)
                : (null, "must be an ISO-8601 time with offset, e.g. 2026-11-24T10:03:00+08:00");
        }
    }
}
