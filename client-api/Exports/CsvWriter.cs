using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Evaluation.ClientApi.Exports;

/// <summary>
/// The one CSV writer of every export (staff lists and reports): RFC 4180 (comma, CRLF, quotes doubled), UTF-8
/// with a byte-order mark so Excel opens Chinese text correctly, values written as the JSON API writes them.
/// </summary>
public sealed class CsvWriter
{
    public const string ContentType = "text/csv; charset=utf-8";

    private static readonly SearchValues<char> NeedsQuotes = SearchValues.Create(",\"\r\n");

    private readonly StringBuilder text = new();

    public CsvWriter Row(IEnumerable<object?> cells)
    {
        var first = true;
        foreach (var cell in cells)
        {
            if (!first)
            {
                text.Append(',');
            }

            first = false;
            Append(Format(cell));
        }

        text.Append("\r\n");
        return this;
    }

    /// <summary>An empty line, between the tables of a file that holds several.</summary>
    public CsvWriter Blank()
    {
        text.Append("\r\n");
        return this;
    }

    /// <summary>The file: UTF-8 with BOM.</summary>
    public byte[] ToBytes() => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];

    /// <summary>Numbers round-trip (shortest exact form), times ISO-8601 with offset, enums their kebab-case word.</summary>
    public static string Format(object? value) => value switch
    {
        null => "",
        string s => Guarded(s),
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        Enum e => JsonNamingPolicy.KebabCaseLower.ConvertName(e.ToString()),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => Guarded(value.ToString() ?? ""),
    };

    /// <summary>
    /// Text a person typed (a comment, a note) that begins like a formula is prefixed with an apostrophe, so a
    /// spreadsheet shows it instead of running it (CSV injection).
    /// </summary>
    private static string Guarded(string s) => s.Length > 0 && s[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + s : s;

    private void Append(string cell)
    {
        if (cell.AsSpan().ContainsAny(NeedsQuotes))
        {
            text.Append('"').Append(cell.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
        }
        else
        {
            text.Append(cell);
        }
    }
}
