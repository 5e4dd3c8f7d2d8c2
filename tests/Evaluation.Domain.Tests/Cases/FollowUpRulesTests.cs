using Evaluation.Contracts.Cases;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Calendar;
using Evaluation.Domain.Cases;
using Xunit;

namespace Evaluation.Domain.Tests.Cases;

public sealed class FollowUpRulesTests
{
    private static readonly Actor Supervisor = new("sup-1", "province-supervisor");
    private static readonly Actor Officer = new("off-gz", "city-officer");
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    // Friday 25 September 2026 is the Mid-Autumn holiday, followed by the weekend and the National Day week.
    private static readonly DateTimeOffset BeforeHolidays = new(2026, 9, 24, 16, 0, 0, Shanghai);

    private readonly FollowUpRules rules = new(WorkingCalendar.Default, new CaseSettings());

    [Theory]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(3, false)]
    [InlineData(5, false)]
    public void Levels_one_and_two_are_bad(byte level, bool bad) => Assert.Equal(bad, FollowUpRules.IsBad(level));

    [Fact]
    public void A_real_name_rater_is_called_back_within_one_working_day_across_holidays()
    {
        var f = rules.Open(Opening(realName: true), BeforeHolidays);
        // Thursday 24 September: Friday 25th is Mid-Autumn, Monday 28th is the next working day.
        Assert.Equal(new DateTimeOffset(2026, 9, 29, 0, 0, 0, Shanghai), f.CallBackDeadline);
        Assert.False(f.IsOverdueAt(new DateTimeOffset(2026, 9, 28, 23, 59, 0, Shanghai)));
        Assert.True(f.IsOverdueAt(new DateTimeOffset(2026, 9, 29, 0, 1, 0, Shanghai)));
    }

    [Fact]
    public void An_anonymous_rating_is_checked_within_three_working_days()
    {
        var f = rules.Open(Opening(realName: false), BeforeHolidays);
        // 28, 29, 30 September.
        Assert.Equal(new DateTimeOffset(2026, 10, 1, 0, 0, 0, Shanghai), f.CallBackDeadline);
    }

    [Fact]
    public void A_justified_rating_is_rectified_within_15_working_days_and_closed_with_feedback()
    {
        var opened = new DateTimeOffset(2026, 11, 23, 9, 0, 0, Shanghai);
        var f = rules.Open(Opening(realName: true), opened);
        var calledBack = opened.AddHours(3);
        f = rules.Apply(f, new FollowUpCommand(FollowUpStep.CallBack, Officer, "waited 50 minutes; justified"), calledBack);
        Assert.Equal((FollowUpState.Rectifying, calledBack), (f.State, f.CalledBackAt!.Value));
        Assert.Equal(new DateTimeOffset(2026, 12, 15, 0, 0, 0, Shanghai), f.RectifyDeadline);
        Assert.True(f.IsOverdueAt(f.RectifyDeadline!.Value.AddMinutes(1)));

        f = rules.Apply(f, new FollowUpCommand(FollowUpStep.Plan, Officer, "a ticket machine and a second window at peak hours"), calledBack.AddDays(1));
        var rectified = rules.Take(f, new FollowUpCommand(FollowUpStep.Rectify, Officer, "second window open since Monday"), calledBack.AddDays(4));
        Assert.Equal(FollowUpState.Rectified, rectified.Next.State);
        Assert.Equal(new FollowUpLogEntry($"fu:{f.Id}:4", Contracts.Ingestion.LoggedEventKind.FollowUpRectified, true, false), Assert.Single(rectified.Logged));
        f = rules.Apply(rectified.Next, new FollowUpCommand(FollowUpStep.Feedback, Officer, "told the rater about the new queue system"), calledBack.AddDays(5));
        Assert.Equal(FollowUpState.Closed, f.State);
        Assert.Equal("a ticket machine and a second window at peak hours", f.RectificationPlan);
        Assert.False(f.IsOverdueAt(f.RectifyDeadline!.Value.AddDays(1)));
        Assert.Equal([FollowUpStep.Opened, FollowUpStep.CallBack, FollowUpStep.Plan, FollowUpStep.Rectify, FollowUpStep.Feedback], f.History.Select(h => h.Step));
    }

    [Fact]
    public void A_late_call_back_is_first_noted_overdue_once_and_ends_the_overdue_stage()
    {
        var opened = new DateTimeOffset(2026, 11, 23, 9, 0, 0, Shanghai);
        var f = rules.Open(Opening(realName: true), opened);
        var late = f.CallBackDeadline.AddHours(2);
        Assert.Null(FollowUpRules.NoteOverdue(f, f.CallBackDeadline));
        var noted = FollowUpRules.NoteOverdue(f, late)!;
        Assert.Equal(Contracts.Ingestion.LoggedEventKind.FollowUpCallBackOverdue, Assert.Single(noted.Logged).Kind);
        Assert.Null(FollowUpRules.NoteOverdue(noted.Next, late.AddHours(1)));

        var unnoticed = rules.Take(f, new FollowUpCommand(FollowUpStep.CallBack, Officer, "reached on the second try", CallBackOutcome.Justified), late);
        Assert.Equal(
            [(Contracts.Ingestion.LoggedEventKind.FollowUpCallBackOverdue, false, false), (Contracts.Ingestion.LoggedEventKind.FollowUpCalledBack, false, true)],
            unnoticed.Logged.Select(l => (l.Kind, l.OnTime, l.LeftOverdue)));
        var afterNote = rules.Take(noted.Next, new FollowUpCommand(FollowUpStep.CallBack, Officer, "reached", CallBackOutcome.Justified), late);
        Assert.Equal((Contracts.Ingestion.LoggedEventKind.FollowUpCalledBack, false, true), afterNote.Logged.Select(l => (l.Kind, l.OnTime, l.LeftOverdue)).Single());
        Assert.Equal(CallBackOutcome.Justified, afterNote.Next.CallBackOutcome);
        Assert.False(afterNote.Next.OverdueNoted);
    }

    [Fact]
    public void An_appeal_is_decided_by_the_province_only()
    {
        var at = new DateTimeOffset(2026, 11, 23, 9, 0, 0, Shanghai);
        var f = rules.Apply(rules.Open(Opening(realName: false), at), new FollowUpCommand(FollowUpStep.Appeal, Officer, "same text from 40 ratings in a minute"), at);
        Assert.Equal(FollowUpState.Appealed, f.State);

        Assert.Equal("'uphold' is for the province-supervisor, not the city-officer",
            Assert.Throws<AuditRefusedException>(() => rules.Apply(f, new FollowUpCommand(FollowUpStep.Uphold, Officer, "we agree"), at)).Message);
        Assert.Equal(FollowUpState.Excluded, rules.Apply(f, new FollowUpCommand(FollowUpStep.Uphold, Supervisor, "malicious"), at).State);

        var dismissed = rules.Apply(f, new FollowUpCommand(FollowUpStep.Dismiss, Supervisor, "the rater exists and complained before"), at.AddDays(1));
        Assert.Equal(FollowUpState.Rectifying, dismissed.State);
        Assert.NotNull(dismissed.RectifyDeadline);
    }

    [Fact]
    public void Steps_out_of_order_or_without_a_note_are_refused()
    {
        var at = new DateTimeOffset(2026, 11, 23, 9, 0, 0, Shanghai);
        var f = rules.Open(Opening(realName: true), at);
        Assert.Equal("a follow-up that is open cannot take 'feedback'; next possible: 'call-back', 'appeal'",
            Assert.Throws<AuditRefusedException>(() => rules.Apply(f, new FollowUpCommand(FollowUpStep.Feedback, Officer, "done"), at)).Message);
        Assert.Equal("note: 'call-back' needs a note",
            Assert.Throws<AuditRefusedException>(() => rules.Apply(f, new FollowUpCommand(FollowUpStep.CallBack, Officer, null), at)).Message);
    }

    private static FollowUpOpening Opening(bool realName) => new(
        "src-1-000001", "inst-1", "440100", "PAT-SEARCH", Channel.Window, IpDomain.Patent, new DateOnly(2026, 9, 24),
        BeforeHolidays, 1, ["slow"], "waited too long", realName, null);
}
