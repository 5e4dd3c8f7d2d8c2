using System.Security.Claims;
using System.Security.Cryptography;
using Evaluation.ClientApi.Application;
using Evaluation.ClientApi.Exports;
using Evaluation.ClientApi.Reports;
using Evaluation.ClientApi.Security;
using Evaluation.Contracts.Cases;
using Evaluation.Contracts.Reports;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Evaluation.ClientApi.Apis;

/// <summary>
/// The monthly 通报 of the province or a city as JSON, CSV, XLSX or a printable page, each file archived with its
/// SHA-256 so a circulated copy can be checked. Officers get their own city's only.
/// </summary>
public static class ReportsApi
{
    public const string Sha256Header = "X-Evaluation-Report-Sha256";
    public const string GeneratedAtHeader = "X-Evaluation-Report-Generated-At";

    private static readonly ExportFormat[] Offered = [ExportFormat.Json, ExportFormat.Csv, ExportFormat.Xlsx, ExportFormat.Html];

    public static void MapReportsApi(this IEndpointRouteBuilder app)
    {
        var reports = app.MapGroup("/api/v1/reports").WithTags("Reports").RequireAuthorization(Roles.StaffPolicy);
        reports.MapGet("/monthly", MonthlyAsync)
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .Produces(StatusCodes.Status200OK, contentType: ExportFormats.XlsxType)
            .Produces(StatusCodes.Status200OK, contentType: "text/html")
            .WithSummary("The monthly report (通报) of `month` (yyyy-MM, ended) for the province or `city`, as of the month's end; JSON, or CSV, XLSX, HTML by Accept or `format`. The file's SHA-256 is in X-Evaluation-Report-Sha256.");
        reports.MapGet("/verify", VerifyAsync)
            .WithSummary("Whether a file with this SHA-256 (hex) was generated here, and which report it is.");
        reports.MapGet("/files/{sha256}", FileAsync)
            .WithSummary("An archived report file, as it was served.");
    }

    /// <summary>Also served under /console, where the console cookie carries the token and links pick the format.</summary>
    internal static async Task<FileContentHttpResult> MonthlyAsync(
        string? month, string? city, string? format, ClaimsPrincipal user, IClusterClient cluster, IReportArchive archive,
        IOptions<JsonOptions> json, HttpContext http)
    {
        var chosen = ExportFormats.Choose(http.Request, format, Offered)
            ?? throw Refusal.Invalid("format", $"format must be one of {ExportFormats.Words(Offered)}");
        if (string.IsNullOrEmpty(month))
        {
            throw Refusal.Invalid("month", "month is required, as yyyy-MM, e.g. 2026-10");
        }

        var scope = city ?? user.ConfinedToCity() ?? Scope.ProvinceCode;
        user.DemandCity(scope);

        MonthlyReport report;
        try
        {
            report = await cluster.GetGrain<IReportGrain>(month).GetMonthly(scope);
        }
        catch (ReportRefusedException ex)
        {
            // The grain names the field it refuses ("month: …", "city: …"); without a field, reports cannot be made here at all.
            throw Refusal.FieldOf(ex.Message) is [_]
                ? Refusal.Invalid("Invalid request", Refusal.FieldOf(ex.Message))
                : Refusal.NotImplemented("Reports unavailable", ex.Message);
        }

        var file = ReportFiles.Render(report, chosen, json.Value.SerializerOptions);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(file.Content));
        var archived = await archive.StoreAsync(sha256, report.Month, report.Scope, file, http.RequestAborted);
        return Serve(http, archived, file);
    }

    private static async Task<Ok<ArchivedReport>> VerifyAsync(string? sha256, ClaimsPrincipal user, IReportArchive archive, HttpContext http) =>
        TypedResults.Ok((await FindAsync(sha256, user, archive, http)).Report);

    private static async Task<FileContentHttpResult> FileAsync(string sha256, ClaimsPrincipal user, IReportArchive archive, HttpContext http)
    {
        var (report, file) = await FindAsync(sha256, user, archive, http);
        return Serve(http, report, file);
    }

    /// <summary>An archived file by hash; an officer learns only of their own city's reports.</summary>
    private static async Task<(ArchivedReport Report, ReportFile File)> FindAsync(string? sha256, ClaimsPrincipal user, IReportArchive archive, HttpContext http)
    {
        if (sha256 is not { Length: 64 } || !sha256.All(char.IsAsciiHexDigit))
        {
            throw Refusal.Invalid("sha256", "sha256 must be the 64 hexadecimal digits of a SHA-256");
        }

        return await archive.FindAsync(sha256.ToLowerInvariant(), http.RequestAborted) is { } found && user.MayAccessCity(found.Report.Scope)
            ? found
            : throw Refusal.Unknown("sha256", "no report file of your scope with this hash was generated here");
    }

    private static FileContentHttpResult Serve(HttpContext http, ArchivedReport archived, ReportFile file)
    {
        http.Response.Headers[Sha256Header] = archived.Sha256;
        http.Response.Headers[GeneratedAtHeader] = CsvWriter.Format(archived.GeneratedAt);
        if (file.Format == ExportFormat.Html)
        {
            http.Response.Headers.ContentSecurityPolicy = ReportFiles.HtmlPolicy;
        }

        return file.Format is ExportFormat.Csv or ExportFormat.Xlsx
            ? TypedResults.File(file.Content, file.ContentType, file.FileName)
            : TypedResults.File(file.Content, file.ContentType);
    }
}
