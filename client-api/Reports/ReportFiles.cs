using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using Evaluation.ClientApi.Exports;
using Evaluation.Contracts.Reports;
using MiniExcelLibs;

namespace Evaluation.ClientApi.Reports;

/// <summary>A report rendered in one format: its bytes, content type and file name.</summary>
public sealed record ReportFile(ExportFormat Format, byte[] Content, string ContentType, string FileName);

/// <summary>
/// Renders a report as JSON, CSV, XLSX or a printable HTML page. Each form is a pure function of the figures, down to
/// the bytes (the XLSX's zip entries carry a fixed time), so the same month and scope always hash the same.
/// </summary>
public static partial class ReportFiles
{
    /// <summary>The zip time of every XLSX entry: the earliest a zip can carry, instead of the moment of writing.</summary>
    private static readonly DateTimeOffset ZipEpoch = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static ReportFile Render(MonthlyReport report, ExportFormat format, JsonSerializerOptions json) =>
        Describe(format, $"report-{report.Month}-{report.Scope}") with
        {
            Content = format switch
            {
                ExportFormat.Csv => Csv(report),
                ExportFormat.Xlsx => Xlsx(report),
                ExportFormat.Html => Html(report),
                _ => JsonSerializer.SerializeToUtf8Bytes(report, json),
            },
        };

    /// <summary>A file of <paramref name="format"/> named <paramref name="name"/>, without content yet.</summary>
    public static ReportFile Describe(ExportFormat format, string name) => format switch
    {
        ExportFormat.Csv => new(format, [], CsvWriter.ContentType, name + ".csv"),
        ExportFormat.Xlsx => new(format, [], ExportFormats.XlsxType, name + ".xlsx"),
        ExportFormat.Html => new(format, [], "text/html; charset=utf-8", name + ".html"),
        _ => new(format, [], "application/json; charset=utf-8", name + ".json"),
    };

    /// <summary>Each table under a line with its name alone, then its header and rows; tables apart by an empty line.</summary>
    public static byte[] Csv(MonthlyReport report)
    {
        var csv = new CsvWriter();
        foreach (var table in ReportTables.Of(report))
        {
            csv.Row([$"[{table.Name}]"]).Row(table.Columns.Select(c => c.Header));
            foreach (var row in table.Rows)
            {
                csv.Row(row);
            }

            csv.Blank();
        }

        return csv.ToBytes();
    }

    /// <summary>One sheet per table, named as the table, headers as in the CSV.</summary>
    public static byte[] Xlsx(MonthlyReport report)
    {
        var sheets = new Dictionary<string, object>();
        foreach (var table in ReportTables.Of(report))
        {
            sheets[table.Name] = table.Rows
                .Select(row => table.Columns.Select((c, i) => (c.Header, Value: row[i])).ToDictionary(x => x.Header, x => x.Value))
                .ToList();
        }

        using var written = new MemoryStream();
        written.SaveAs(sheets);
        return Deterministic(written);
    }

    /// <summary>
    /// The same entries in the same order, stamped with <see cref="ZipEpoch"/>, and the random relationship ids
    /// MiniExcel gives the sheets (<c>R</c> and 32 hex digits, a new GUID each time) numbered in order of appearance
    /// instead, consistently across the workbook and its relationships.
    /// </summary>
    private static byte[] Deterministic(MemoryStream xlsx)
    {
        xlsx.Position = 0;
        using var source = new ZipArchive(xlsx, ZipArchiveMode.Read);
        using var output = new MemoryStream();
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries)
            {
                using var content = new MemoryStream();
                using (var from = entry.Open())
                {
                    from.CopyTo(content);
                }

                var bytes = content.ToArray();
                if (entry.FullName.EndsWith(".xml", StringComparison.Ordinal) || entry.FullName.EndsWith(".rels", StringComparison.Ordinal))
                {
                    var text = Encoding.UTF8.GetString(bytes);
                    var numbered = RandomRelationshipId().Replace(text, m => ids.TryGetValue(m.Value, out var id) ? id : ids[m.Value] = $"rIdReport{ids.Count + 1}");
                    bytes = numbered == text ? bytes : Encoding.UTF8.GetBytes(numbered);
                }

                var copy = target.CreateEntry(entry.FullName, CompressionLevel.Optimal);
                copy.LastWriteTime = ZipEpoch;
                using var to = copy.Open();
                to.Write(bytes);
            }
        }

        return output.ToArray();
    }

    [GeneratedRegex("\\bR[0-9a-f]{32}\\b")]
    private static partial Regex RandomRelationshipId();

    /// <summary>The printable page's only style, inline so a downloaded copy stands alone.</summary>
    private const string PageStyle =
        "body{font-family:\"WenQuanYi Micro Hei\",\"Microsoft YaHei\",sans-serif;margin:1.5rem;color:#111}"
        + "table{border-collapse:collapse;margin:0 0 1.5rem;font-size:.85rem}"
        + "th,td{border:1px solid #999;padding:.2rem .4rem;text-align:left}"
        + "td.n{text-align:right}"
        + "th small{display:block;font-weight:normal;color:#444}"
        + "@media print{body{margin:0}}";

    /// <summary>
    /// The content security policy the printable page is served with: nothing but its own inline style, allowed by
    /// hash (the site's policy allows no inline style at all).
    /// </summary>
    public static readonly string HtmlPolicy =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(PageStyle)))}'; "
        + "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /// <summary>A standalone page for reading and printing: every table with its Chinese and English labels.</summary>
    public static byte[] Html(MonthlyReport report)
    {
        // Chinese stays as it is (readable source, smaller page); only markup characters are encoded.
        var e = HtmlEncoder.Create(UnicodeRanges.All);
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"""
            <!doctype html>
            <html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{e.Encode(report.ScopeName)} {report.Month} 好差评月度通报 monthly report</title>
            <style>{PageStyle}</style></head><body>
            <h1>{e.Encode(report.ScopeName)} {report.Month} 好差评月度通报 <small>monthly report</small></h1>
            <p>统计截至 {CsvWriter.Format(report.Cut)}（北京时间月末）：评价日期在本月、且在月末前收到的记录 ·
            figures as of the month's end: events dated in the month and received before its end.</p>

            """);
        foreach (var table in ReportTables.Of(report).Skip(1))
        {
            html.Append(CultureInfo.InvariantCulture, $"<h2>{e.Encode(table.Title)}</h2>\n<table><thead><tr>");
            foreach (var column in table.Columns)
            {
                html.Append(CultureInfo.InvariantCulture, $"<th scope=\"col\">{e.Encode(column.Label)}<small>{e.Encode(column.Key)}</small></th>");
            }

            html.Append("</tr></thead><tbody>\n");
            foreach (var row in table.Rows)
            {
                html.Append("<tr>");
                foreach (var cell in row)
                {
                    var numeric = cell is double or long or int;
                    html.Append(CultureInfo.InvariantCulture, $"<td{(numeric ? " class=\"n\"" : "")}>{e.Encode(Shown(cell))}</td>");
                }

                html.Append("</tr>\n");
            }

            html.Append("</tbody></table>\n");
        }

        html.Append("</body></html>\n");
        return Encoding.UTF8.GetBytes(html.ToString());
    }

    /// <summary>For people: fractions and scores to three decimals (the files keep every digit).</summary>
    private static string Shown(object? cell) => cell switch
    {
        double d => d.ToString("0.###", CultureInfo.InvariantCulture),
        _ => CsvWriter.Format(cell),
    };
}
