using Evaluation.Contracts.Measures;

namespace Evaluation.Contracts.Reports;

/// <summary>
/// The monthly 通报 of the province or of one city, computed as of the month's end from the event log, so the same
/// month and scope give the same figures whenever they are generated again (see <see cref="Cut"/>).
/// </summary>
/// <param name="Month">The Asia/Shanghai calendar month, <c>yyyy-MM</c>.</param>
/// <param name="Scope">The province's code (440000) or a city's.</param>
/// <param name="From">The month's first instant in Asia/Shanghai.</param>
/// <param name="Cut">
/// The month's end, the first instant of the next month in Asia/Shanghai: the report counts the logged events whose
/// day lies in the month and that the log received before this instant, and the audit history written before it.
/// </param>
/// <param name="Total">The scope's own figures.</param>
/// <param name="Rows">The scope's members: each city of the province, or each institution of the city, ranked within its peer group.</param>
/// <param name="PlanTargets">The plan's targets (SPEC 2.8) as of the month's last day, province-wide.</param>
/// <param name="ProblemItems">The service items with the most 差评 in the scope, worst first.</param>
/// <param name="MemberKind">What <see cref="Rows"/> are: <c>city</c> (the province's report) or <c>institution</c> (a city's).</param>
[GenerateSerializer, Immutable, Alias("MonthlyReport")]
public sealed record MonthlyReport(
    [property: Id(0)] string Month,
    [property: Id(1)] string Scope,
    [property: Id(2)] string ScopeName,
    [property: Id(3)] DateTimeOffset From,
    [property: Id(4)] DateTimeOffset Cut,
    [property: Id(5)] ReportRow Total,
    [property: Id(6)] IReadOnlyList<ReportRow> Rows,
    [property: Id(7)] IReadOnlyList<PlanTargetView> PlanTargets,
    [property: Id(8)] IReadOnlyList<ProblemItemRow> ProblemItems,
    [property: Id(9)] string MemberKind);

/// <summary>
/// The month's figures of one area or institution: its ranking within its peer group (SPEC 2.7), its ratings
/// (SPEC 2.6 measures over the month's days), its 差评 handling, its services, and its audits.
/// </summary>
[GenerateSerializer, Immutable, Alias("ReportRow")]
public sealed record ReportRow(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string PeerGroup,
    [property: Id(3)] int? Rank,
    [property: Id(4)] bool Tied,
    [property: Id(5)] ScoreView Scores,
    [property: Id(6)] HandlingView Handling,
    [property: Id(7)] long Completed,
    [property: Id(8)] double? OnTimeRate,
    [property: Id(9)] AuditCounts Audits);

/// <summary>Audits (督查) of the month: opened (and reopened) and closed (verified) in it, and overdue at its end.</summary>
[GenerateSerializer, Immutable, Alias("AuditCounts")]
public sealed record AuditCounts(
    [property: Id(0)] int Opened,
    [property: Id(1)] int Closed,
    [property: Id(2)] int Overdue);

/// <summary>
/// A service item (事项) with many 差评 in the month: its ratings, 差评 and 差评率, and the 差评率 smoothed toward the
/// scope's (so an item with three ratings, two bad, does not top the list), by which the list is ordered.
/// </summary>
[GenerateSerializer, Immutable, Alias("ProblemItemRow")]
public sealed record ProblemItemRow(
    [property: Id(0)] string ServiceItem,
    [property: Id(1)] string Name,
    [property: Id(2)] long Ratings,
    [property: Id(3)] long Bad,
    [property: Id(4)] double BadRate,
    [property: Id(5)] double SmoothedBadRate);

/// <summary>Why a report cannot be made (the month has not ended, an unknown city); crosses silo boundaries.</summary>
[GenerateSerializer, Alias("ReportRefusedException")]
public sealed class ReportRefusedException : Exception
{
    public ReportRefusedException()
    {
    }

    public ReportRefusedException(string message)
        : base(message)
    {
    }

    public ReportRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Computes the reports of one month from the event log and the audit histories. Key: the month, <c>yyyy-MM</c>.</summary>
[Alias("IReportGrain")]
public interface IReportGrain : IGrainWithStringKey
{
    /// <summary>The month's report for the province (440000) or a city.</summary>
    [Alias("GetMonthly")]
    Task<MonthlyReport> GetMonthly(string scope);
}
