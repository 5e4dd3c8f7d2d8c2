using Evaluation.ClientApi.Exports;
using Evaluation.Contracts.Reports;

namespace Evaluation.ClientApi.Reports;

/// <summary>A column of a report table: the JSON field it holds and its label for people.</summary>
public sealed record ReportColumn(string Key, string Label)
{
    /// <summary>The header a file shows: the label, then the JSON field, e.g. <c>好评率 goodRate</c>.</summary>
    public string Header => $"{Label} {Key}";
}

/// <summary>One table of a report; cells are numbers, text, booleans or null, exactly the JSON answer's values.</summary>
public sealed record ReportTable(string Name, string Title, IReadOnlyList<ReportColumn> Columns, IReadOnlyList<IReadOnlyList<object?>> Rows);

/// <summary>
/// The report flattened into tables once, which the CSV, XLSX and HTML forms all render, so the files hold the JSON
/// answer's figures and nothing else.
/// </summary>
public static class ReportTables
{
    public static IReadOnlyList<ReportTable> Of(MonthlyReport report) =>
    [
        new("report", "通报 Report",
            [new("month", "月份"), new("scope", "范围代码"), new("scopeName", "范围"), new("from", "起"), new("cut", "截止")],
            [[report.Month, report.Scope, report.ScopeName, CsvWriter.Format(report.From), CsvWriter.Format(report.Cut)]]),
        new("areas", "排名与指标 Rankings and measures", AreaColumns,
            [Area("total", report.Total), .. report.Rows.Select(r => Area(report.MemberKind, r))]),
        new("planTargets", "规划目标 Plan targets",
            [new("code", "代码"), new("name", "目标"), new("current", "当前"), new("target", "目标值"), new("unit", "单位"), new("due", "期限"), new("status", "状态"), new("detail", "说明")],
            [.. report.PlanTargets.Select(t => (IReadOnlyList<object?>)[t.Code, t.Name, t.Current, t.Target, t.Unit, CsvWriter.Format(t.Due), CsvWriter.Format(t.Status), t.Detail])]),
        new("problemItems", "问题事项 Service items with most 差评",
            [new("serviceItem", "事项代码"), new("name", "事项"), new("ratings", "评价数"), new("bad", "差评数"), new("badRate", "差评率"), new("smoothedBadRate", "平滑差评率")],
            [.. report.ProblemItems.Select(i => (IReadOnlyList<object?>)[i.ServiceItem, i.Name, i.Ratings, i.Bad, i.BadRate, i.SmoothedBadRate])]),
    ];

    private static readonly ReportColumn[] AreaColumns =
    [
        new("row", "行"), new("id", "代码"), new("name", "名称"), new("peerGroup", "同类组"), new("rank", "排名"), new("tied", "并列"),
        new("ranked", "参与排名"), new("ratings", "评价数"), new("goodRate", "好评率"), new("badRate", "差评率"),
        new("satisfaction", "满意度"), new("smoothedScore", "平滑得分"), new("intervalLow", "区间下限"), new("intervalHigh", "区间上限"),
        new("followUps", "差评数"), new("calledBack", "已回访"), new("callBackOnTimeRate", "按时回访率"), new("rectified", "已整改"),
        new("rectifiedOnTimeRate", "按时整改率"), new("appealed", "申诉"), new("upheld", "申诉成立"), new("upheldAppealRate", "申诉成立率"),
        new("overdueFollowUps", "逾期差评"), new("completed", "办结数"), new("onTimeRate", "按时办结率"),
        new("auditsOpened", "督查新开"), new("auditsClosed", "督查办结"), new("auditsOverdue", "督查逾期"),
    ];

    private static IReadOnlyList<object?> Area(string row, ReportRow r) =>
    [
        row, r.Id, r.Name, r.PeerGroup, r.Rank, r.Tied, r.Scores.Ranked, r.Scores.Count, r.Scores.GoodRate, r.Scores.BadRate,
        r.Scores.Satisfaction, r.Scores.SmoothedScore, r.Scores.Interval?[0], r.Scores.Interval?[1],
        r.Handling.FollowUps, r.Handling.CalledBack, r.Handling.CallBackOnTimeRate, r.Handling.Rectified,
        r.Handling.RectifiedOnTimeRate, r.Handling.Appealed, r.Handling.Upheld, r.Handling.UpheldAppealRate,
        r.Handling.Overdue, r.Completed, r.OnTimeRate, r.Audits.Opened, r.Audits.Closed, r.Audits.Overdue,
    ];
}
