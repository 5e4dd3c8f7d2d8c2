using System.Text.Json.Nodes;
using Evaluation.Contracts.Cases;
using Evaluation.Contracts.Detection;
using Evaluation.Contracts.Notifications;
using Evaluation.Detection;
using Evaluation.Grains.Cases;
using Evaluation.Grains.Notifications;
using Xunit;

namespace Evaluation.UnitTests.Notifications;

/// <summary>Which events a committed state change announces: each change once, with an id derived from it.</summary>
public sealed class NotificationSourcesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 9, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public void New_alerts_are_raised_and_newly_resolved_ones_resolved_once()
    {
        var source = new AlertNotifications();
        var first = new AlertBookState { Alerts = [Alert(1, AlertSeverity.High), Alert(2, AlertSeverity.Low)], LastId = 2 };
        var raised = source.Changes(null, first);
        Assert.Equal(["alert-1-raised", "alert-2-raised"], raised.Select(e => e.Id));
        Assert.Equal([true, false], raised.Select(e => e.Immediate));
        Assert.Equal("440300", raised[0].CityCode);
        Assert.Equal("high", JsonNode.Parse(raised[0].Data)!["severity"]!.GetValue<string>());

        var second = new AlertBookState
        {
            Alerts = [first.Alerts[0], first.Alerts[1] with { State = AlertState.Resolved, ResolvedAt = Now.AddHours(1) }, Alert(3, AlertSeverity.Medium)],
            LastId = 3,
        };
        Assert.Equal(["alert-2-resolved", "alert-3-raised"], source.Changes(first, second).Select(e => e.Id));
        Assert.Empty(source.Changes(second, second));

        // A resolved alert dropped from the book later is not raised again.
        var pruned = new AlertBookState { Alerts = [second.Alerts[2]], LastId = 3 };
        Assert.Empty(source.Changes(second, pruned));
    }

    [Fact]
    public void Each_new_history_line_of_an_announced_step_is_one_event()
    {
        var source = new AuditNotifications();
        var opened = Case(Line(1, AuditStep.Opened), Line(2, AuditStep.Analysis));
        Assert.Equal(["audit-aud-1-1"], source.Changes(null, new AuditCaseState { Case = opened }).Select(e => e.Id));

        var escalated = opened with { History = [.. opened.History, Line(3, AuditStep.Escalation), Line(4, AuditStep.Submission)] };
        var events = source.Changes(new AuditCaseState { Case = opened }, new AuditCaseState { Case = escalated });
        Assert.Equal([EventTypes.AuditEscalated, EventTypes.AuditSubmitted], events.Select(e => e.Type));
        Assert.Equal([true, false], events.Select(e => e.Immediate));
        Assert.Equal("aud-1", JsonNode.Parse(events[0].Data)!["audit"]!["id"]!.GetValue<string>());
        Assert.Empty(source.Changes(new AuditCaseState { Case = escalated }, new AuditCaseState { Case = escalated }));
    }

    [Theory]
    [InlineData(FollowUpStep.Overdue, EventTypes.FollowUpOverdue, null)]
    [InlineData(FollowUpStep.Uphold, EventTypes.AppealDecided, "upheld")]
    [InlineData(FollowUpStep.Dismiss, EventTypes.AppealDecided, "dismissed")]
    [InlineData(FollowUpStep.CallBack, null, null)]
    public void A_follow_up_announces_a_passed_deadline_and_an_appeal_decided(FollowUpStep step, string? type, string? decision)
    {
        var followUp = new FollowUp("ev-1", "gd-440300-cc-001", "440300", "PAT-SEARCH", Contracts.Registry.Channel.Window, 1, [], "不满意的评论", true,
            Now, FollowUpState.Open, Now, Now.AddDays(1), null, null, null,
            [new FollowUpEntry(1, FollowUpStep.Opened, null, FollowUpState.Open, "system", "system", Now, null),
             new FollowUpEntry(2, step, FollowUpState.Open, FollowUpState.Open, "sup", "province-supervisor", Now.AddDays(2), "note")]);
        var announced = FollowUpNotifications.Of(followUp);
        Assert.Equal(type, announced?.Type);
        if (announced is not null)
        {
            Assert.Equal("follow-up-ev-1-2", announced.Id);
            var data = JsonNode.Parse(announced.Data)!;
            Assert.Equal(decision, data["decision"]?.GetValue<string>());
            Assert.DoesNotContain("不满意的评论", announced.Data, StringComparison.Ordinal);
        }
    }

    private static AlertView Alert(long id, AlertSeverity severity) =>
        new(id, "gd-440300-cc-001", "440300", AlertReason.LowSatisfaction, severity, AlertState.Open, Now, "peer-rules-v1", null, [], null, 0);

    private static AuditEntry Line(int sequence, AuditStep step) =>
        new(sequence, step, null, AuditState.Opened, "sup", "province-supervisor", Now.AddDays(sequence), null, []);

    private static AuditCase Case(params AuditEntry[] history) =>
        new("aud-1", "gd-440300-cc-001", "440300", null, "抽查", AuditState.Opened, Now, Now.AddDays(21), false, null, null, 0, history);
}
