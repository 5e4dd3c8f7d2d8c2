using System.Globalization;
using Evaluation.Contracts.Cases;
using Evaluation.Contracts.Detection;
using Evaluation.Domain.Cases;

namespace Evaluation.Detection;

/// <summary>
/// Alerts from the state of cases rather than from ratings: an institution's 差评 follow-ups overdue past the
/// grace, and audits past their deadline. Each signal raises and holds alike: the alert stays while the case is
/// overdue and resolves (with the book's hysteresis) once it is not.
/// </summary>
public static class CaseSignals
{
    /// <summary>Overdue this many days, or this many follow-ups at once, makes a follow-up-overdue alert high.</summary>
    public const int HighOverdueDays = 5;

    public const int HighOverdueCount = 5;

    /// <summary>The window name of a line about the present state of cases.</summary>
    public const string Now = "now";

    /// <summary>One signal per institution with follow-ups overdue past <paramref name="grace"/> (case time <paramref name="now"/>).</summary>
    public static IReadOnlyList<Signal> FollowUpOverdue(IReadOnlyList<OverdueFollowUps> overdue, TimeSpan grace, DateTimeOffset now) =>
        [.. overdue.Where(o => o.Count > 0).Select(o =>
        {
            var days = Math.Max(0, (now - o.OldestDue).TotalDays);
            var severity = days > HighOverdueDays || o.Count >= HighOverdueCount ? AlertSeverity.High : AlertSeverity.Medium;
            ExplanationLine[] lines =
            [
                new("overdueFollowUps", o.Count, null, Now,
                    $"{o.Count} 件差评回访或整改逾期超过宽限 {Days(grace.TotalDays)} 天仍未完成"),
                new("oldestOverdueDays", days, null, Now,
                    $"最早一件 {o.OldestDue:yyyy-MM-dd HH:mm zzz} 到期，已逾期 {Days(days)} 天"),
            ];
            return new Signal(o.InstitutionId, o.CityCode, AlertReason.FollowUpOverdue, true, true, severity, 0, lines);
        })];

    /// <summary>One high signal per institution with an audit past its deadline; the lines name the cases.</summary>
    public static IReadOnlyList<Signal> AuditOverdue(IReadOnlyList<AuditSummary> audits, DateTimeOffset now) =>
        [.. audits
            .Where(a => AuditRules.IsOverdue(a.State, a.Deadline, now))
            .GroupBy(a => a.InstitutionId)
            .Select(g =>
            {
                var lines = g.OrderBy(a => a.Deadline).ThenBy(a => a.Id, StringComparer.Ordinal).Take(Detector.TopMeasures).Select(a =>
                {
                    var days = (now - a.Deadline).TotalDays;
                    return new ExplanationLine("auditOverdueDays", days, null, Now,
                        $"督查 {a.Id}（{CaseChecks.Name(a.State)}）期限 {a.Deadline:yyyy-MM-dd HH:mm zzz} 已过 {Days(days)} 天"
                        + (a.Escalated ? "，已升级" : ""));
                });
                return new Signal(g.Key, g.First().CityCode, AlertReason.AuditOverdue, true, true, AlertSeverity.High, 0, [.. lines]);
            })];

    private static string Days(double days) => days.ToString("0.0", CultureInfo.InvariantCulture);
}
