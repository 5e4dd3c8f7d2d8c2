using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Evaluation.Contracts.Notifications;

namespace Evaluation.Grains.Notifications;

/// <summary>A mail to send: subject and plain-text body.</summary>
public sealed record MailText(string Subject, string Body);

/// <summary>
/// The mails, in Chinese with English labels: one at once for an escalation or a high-severity alert, and the
/// digest of a person's events (their city, or the province) over the digest period. Times in Asia/Shanghai.
/// </summary>
public static class MailTemplates
{
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    public static string Label(string type) => type switch
    {
        EventTypes.AlertRaised => "预警产生 / Alert raised",
        EventTypes.AlertResolved => "预警解除 / Alert resolved",
        EventTypes.AuditOpened => "督查立案 / Audit opened",
        EventTypes.AuditEscalated => "督查逾期升级 / Audit escalated",
        EventTypes.AuditSubmitted => "整改已提交 / Audit submitted",
        EventTypes.AuditVerified => "督查核验通过 / Audit verified",
        EventTypes.AuditRejected => "整改被退回 / Audit rejected",
        EventTypes.AuditReopened => "督查重新打开 / Audit reopened",
        EventTypes.FollowUpOverdue => "差评处理逾期 / Follow-up overdue",
        EventTypes.AppealDecided => "申诉复核结果 / Appeal decided",
        _ => type,
    };

    public static MailText Immediate(DueDelivery delivery)
    {
        var subject = $"[好差评] {Label(delivery.Type)}: {Subject(delivery)} ({delivery.CityCode})";
        var body = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"事件 / Event: {Label(delivery.Type)} ({delivery.Type})")
            .AppendLine(CultureInfo.InvariantCulture, $"对象 / Subject: {Subject(delivery)}")
            .AppendLine(CultureInfo.InvariantCulture, $"地市 / City: {delivery.CityCode}")
            .AppendLine(CultureInfo.InvariantCulture, $"时间 / Time: {Time(delivery.OccurredAt)}")
            .AppendLine(CultureInfo.InvariantCulture, $"事件编号 / Event id: {delivery.EventId}")
            .AppendLine()
            .AppendLine("详情 / Details:")
            .AppendLine(JsonNode.Parse(delivery.Data)!.ToJsonString(new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            .ToString();
        return new MailText(subject, body);
    }

    public static MailText Digest(DueDigest digest, IReadOnlyList<DueDelivery> events)
    {
        var scope = digest.CityCode is null ? "全省 / province" : $"地市 / city {digest.CityCode}";
        var subject = $"[好差评] 每日摘要 / Daily digest {digest.Until.ToOffset(Shanghai):yyyy-MM-dd}: {events.Count} 件 / events ({scope})";
        var body = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"范围 / Scope: {scope}")
            .AppendLine(CultureInfo.InvariantCulture, $"时段 / Period: {Time(digest.Since)} – {Time(digest.Until)}")
            .AppendLine();
        foreach (var group in events.GroupBy(e => e.Type).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            body.AppendLine(CultureInfo.InvariantCulture, $"{Label(group.Key)}: {group.Count()}");
        }

        body.AppendLine();
        foreach (var e in events)
        {
            body.AppendLine(CultureInfo.InvariantCulture, $"{Time(e.OccurredAt)}  {e.CityCode}  {Label(e.Type)}  {Subject(e)}");
        }

        return new MailText(subject, body.ToString());
    }

    /// <summary>What the event is about: the audit, the institution of an alert, or the follow-up.</summary>
    private static string Subject(DueDelivery delivery)
    {
        var data = JsonNode.Parse(delivery.Data)!;
        return (data["audit"]?["id"] ?? data["followUpId"] ?? data["institutionId"])?.GetValue<string>() ?? delivery.EventId;
    }

    private static string Time(DateTimeOffset at) => at.ToOffset(Shanghai).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " (UTC+8)";
}
