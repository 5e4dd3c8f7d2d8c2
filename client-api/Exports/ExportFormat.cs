using Microsoft.Net.Http.Headers;

namespace Evaluation.ClientApi.Exports;

/// <summary>The forms an export is given in, chosen by the request's Accept header or, for a link, <c>format=</c>.</summary>
public enum ExportFormat
{
    Json,
    Csv,
    Xlsx,
    Html,
}

public static class ExportFormats
{
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private static readonly (ExportFormat Format, string MediaType, string Word)[] Known =
    [
        (ExportFormat.Json, "application/json", "json"),
        (ExportFormat.Csv, "text/csv", "csv"),
        (ExportFormat.Xlsx, XlsxType, "xlsx"),
        (ExportFormat.Html, "text/html", "html"),
    ];

    public static string Word(ExportFormat format) => Known.Single(k => k.Format == format).Word;

    public static string Words(IEnumerable<ExportFormat> offered) => string.Join(", ", offered.Select(Word));

    /// <summary>
    /// The offered format named by <paramref name="format"/> (a link cannot set Accept), else the Accept header's
    /// most preferred offered type, else JSON; null when <paramref name="format"/> names none of the offered.
    /// </summary>
    public static ExportFormat? Choose(HttpRequest request, string? format, IReadOnlyCollection<ExportFormat> offered)
    {
        if (format is not null)
        {
            return Known.Where(k => offered.Contains(k.Format) && k.Word == format).Select(k => (ExportFormat?)k.Format).FirstOrDefault();
        }

        if (MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted))
        {
            foreach (var type in accepted.Where(a => a.Quality is not 0).OrderByDescending(a => a.Quality ?? 1))
            {
                var match = Known.FirstOrDefault(k => offered.Contains(k.Format) && type.MediaType.Equals(k.MediaType, StringComparison.OrdinalIgnoreCase));
                if (match.MediaType is not null)
                {
                    return match.Format;
                }
            }
        }

        return ExportFormat.Json;
    }
}
