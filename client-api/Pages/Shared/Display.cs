using System.Globalization;
using Evaluation.ClientApi.Apis;
using Evaluation.ClientApi.Application;
using Evaluation.Contracts.Cases;
using Evaluation.Contracts.Detection;
using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;
using MeasureWindows = Evaluation.Contracts.Measures.Windows;

namespace Evaluation.ClientApi.Pages.Shared;

/// <summary>How the portals write numbers and the contract's words: Chinese first, one format everywhere.</summary>
public static class Display
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Times read as the public and the bureaus live them (SPEC 4.5.1), whatever the server's zone.</summary>
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public static string Percent(double? rate) => rate is { } r ? (r * 100).ToString("0.0", Invariant) + "%" : "—";

    /// <summary>A change of a rate in percentage points, signed: "+4.0 个百分点".</summary>
    public static string PercentPoints(double? change) =>
        change is { } c ? (c * 100).ToString("+0.0;-0.0;0.0", Invariant) + " 个百分点" : "—";

    public static string Score(double? score) => score is { } s ? s.ToString("0.0", Invariant) : "—";

    public static string Number(long n) => n.ToString("N0", Invariant);

    public static string Days(double? days) => days is { } d ? d.ToString("0.0", Invariant) + " 天" : "—";

    public static string Hours(double? hours) => hours is { } h ? h.ToString("0.#", Invariant) + " 小时" : "—";

    public static string Interval(double[]? interval) =>
        interval is [var lo, var hi] ? $"{lo.ToString("0.0", Invariant)}–{hi.ToString("0.0", Invariant)}" : "—";

    /// <summary>A score as a value for <c>&lt;meter&gt;</c>, which needs a number even when there is none.</summary>
    public static string MeterValue(double? score) => (score ?? 0).ToString("0.0", Invariant);

    public static string Window(string window) => window switch
    {
        MeasureWindows.Today => "今日 Today",
        MeasureWindows.Days7 => "近 7 天 7 days",
        MeasureWindows.Days30 => "近 30 天 30 days",
        MeasureWindows.Days90 => "近 90 天 90 days",
        _ => window,
    };

    public static string Kind(InstitutionKind kind) => kind switch
    {
        InstitutionKind.ComprehensiveCentre => "综合服务中心",
        InstitutionKind.InfoOutlet => "信息公共服务网点",
        InstitutionKind.TrademarkWindow => "商标业务受理窗口",
        InstitutionKind.TrademarkWorkstation => "商标品牌工作站",
        InstitutionKind.BrandGuidanceStation => "品牌指导站",
        _ => kind.ToString(),
    };

    /// <summary>A ranking's peer group, which is the contract word of a kind (institutions) or a region (cities).</summary>
    public static string PeerGroup(string group) =>
        Enum.GetValues<InstitutionKind>().Where(k => ContractWords.Word(k) == group).Select(Kind).FirstOrDefault()
        ?? Enum.GetValues<Region>().Where(r => ContractWords.Word(r) == group).Select(r => Region(r)).FirstOrDefault()
        ?? group;

    public static string Region(Region? region) => region is { } r ? RegionNames.Chinese(r) : "全省";

    public static string Channel(Channel channel) => channel switch
    {
        Contracts.Registry.Channel.Window => "窗口 Window",
        Contracts.Registry.Channel.Online => "网上 Online",
        Contracts.Registry.Channel.Hotline => "热线 Hotline",
        _ => channel.ToString(),
    };

    public static string Domain(IpDomain domain) => domain switch
    {
        IpDomain.Patent => "专利",
        IpDomain.Trademark => "商标",
        IpDomain.GeographicalIndication => "地理标志",
        IpDomain.IcLayout => "集成电路布图设计",
        IpDomain.General => "综合",
        _ => domain.ToString(),
    };

    public static string TimeLimit(TimeLimitDto limit) =>
        limit.Unit == TimeLimitUnit.Hours ? $"{limit.Value} 小时" : $"{limit.Value} 个工作日";

    public static string Target(TargetStatus status) => status switch
    {
        TargetStatus.OnTrack => "进展正常 On track",
        TargetStatus.AtRisk => "存在风险 At risk",
        TargetStatus.Missed => "未达成 Missed",
        TargetStatus.Met => "已达成 Met",
        _ => status.ToString(),
    };

    public static string AuditState(AuditState state) => state switch
    {
        Contracts.Cases.AuditState.Opened => "已立案 Opened",
        Contracts.Cases.AuditState.CityAnalysing => "地市分析中 Analysing",
        Contracts.Cases.AuditState.Rectifying => "整改中 Rectifying",
        Contracts.Cases.AuditState.Submitted => "已提交待核查 Submitted",
        Contracts.Cases.AuditState.Rejected => "退回 Rejected",
        Contracts.Cases.AuditState.Verified => "已核查办结 Verified",
        _ => state.ToString(),
    };

    public static string AuditStep(AuditStep step) => step switch
    {
        Contracts.Cases.AuditStep.Opened => "立案 Opened",
        Contracts.Cases.AuditStep.Analysis => "原因分析 Analysis",
        Contracts.Cases.AuditStep.Rectification => "整改方案 Rectification plan",
        Contracts.Cases.AuditStep.Submission => "提交整改材料 Submission",
        Contracts.Cases.AuditStep.Rejection => "退回 Rejection",
        Contracts.Cases.AuditStep.Verification => "核查通过 Verification",
        Contracts.Cases.AuditStep.Escalation => "逾期升级 Escalation",
        Contracts.Cases.AuditStep.Relapse => "复发重开 Relapse",
        Contracts.Cases.AuditStep.WatchEnded => "观察期结束 Watch ended",
        _ => step.ToString(),
    };

    public static string FollowUpState(FollowUpState state) => state switch
    {
        Contracts.Cases.FollowUpState.Open => "待回访 Open",
        Contracts.Cases.FollowUpState.Rectifying => "整改中 Rectifying",
        Contracts.Cases.FollowUpState.Rectified => "已整改待反馈 Rectified",
        Contracts.Cases.FollowUpState.Appealed => "申诉复核中 Appealed",
        Contracts.Cases.FollowUpState.Closed => "已办结 Closed",
        Contracts.Cases.FollowUpState.Excluded => "申诉成立已剔除 Excluded",
        _ => state.ToString(),
    };

    public static string FollowUpStep(FollowUpStep step) => step switch
    {
        Contracts.Cases.FollowUpStep.Opened => "生成差评工单 Opened",
        Contracts.Cases.FollowUpStep.CallBack => "回访核实 Call back",
        Contracts.Cases.FollowUpStep.Plan => "整改计划 Plan",
        Contracts.Cases.FollowUpStep.Rectify => "完成整改 Rectify",
        Contracts.Cases.FollowUpStep.Feedback => "反馈评价人 Feedback",
        Contracts.Cases.FollowUpStep.Appeal => "申诉复核 Appeal",
        Contracts.Cases.FollowUpStep.Uphold => "申诉成立 Uphold",
        Contracts.Cases.FollowUpStep.Dismiss => "申诉驳回 Dismiss",
        Contracts.Cases.FollowUpStep.Overdue => "逾期 Overdue",
        _ => step.ToString(),
    };

    public static string CallBackOutcome(CallBackOutcome outcome) => outcome switch
    {
        Contracts.Cases.CallBackOutcome.Justified => "情况属实 Justified",
        Contracts.Cases.CallBackOutcome.Unreachable => "未能联系 Unreachable",
        Contracts.Cases.CallBackOutcome.Mistaken => "误评 Mistaken",
        Contracts.Cases.CallBackOutcome.Checked => "已核查（匿名）Checked",
        _ => outcome.ToString(),
    };

    /// <summary>An attachment's metadata in one line: name, type, size and the start of its hash.</summary>
    public static string Attachment(Attachment file) =>
        file.Name + (file.ContentType is null ? "" : $"（{file.ContentType}）") + (file.SizeBytes is { } size ? $" {Number(size)} B" : "")
        + (file.Sha256 is { Length: > 12 } hash ? $" sha256:{hash[..12]}…" : file.Sha256 is null ? "" : $" sha256:{file.Sha256}");

    public static string AlertReason(AlertReason reason) => reason switch
    {
        Contracts.Detection.AlertReason.LowSatisfaction => "满意度偏低 Low satisfaction",
        Contracts.Detection.AlertReason.SlowService => "办理超时偏多 Slow service",
        Contracts.Detection.AlertReason.SuddenDrop => "评价骤降 Sudden drop",
        Contracts.Detection.AlertReason.FollowUpOverdue => "差评跟进超期 Follow-ups overdue",
        Contracts.Detection.AlertReason.AuditOverdue => "督查超期 Audit overdue",
        Contracts.Detection.AlertReason.HandlingLag => "差评处理落后 Handling lags peer cities",
        Contracts.Detection.AlertReason.Decline => "差评持续上升 Decline",
        Contracts.Detection.AlertReason.ServiceItem => "事项评价偏低 Service item rated low",
        Contracts.Detection.AlertReason.Channel => "渠道评价偏低 Channel rated low",
        Contracts.Detection.AlertReason.SlowVsPeers => "办理慢于同类 Slower than peers",
        Contracts.Detection.AlertReason.BacklogGrowth => "积压增加 Backlog growing",
        _ => reason.ToString(),
    };

    public static string Severity(AlertSeverity severity) => severity switch
    {
        AlertSeverity.High => "高 High",
        AlertSeverity.Medium => "中 Medium",
        AlertSeverity.Low => "低 Low",
        _ => severity.ToString(),
    };

    public static string Level(int level) => level switch
    {
        5 => "非常满意",
        4 => "满意",
        3 => "基本满意",
        2 => "不满意",
        1 => "非常不满意",
        _ => level.ToString(Invariant),
    };

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", Invariant);

    public static string Time(DateTimeOffset time) =>
        TimeZoneInfo.ConvertTime(time, Shanghai).ToString("yyyy-MM-dd HH:mm", Invariant);

    public static string Value(double value) => value.ToString("0.##", Invariant);
}
