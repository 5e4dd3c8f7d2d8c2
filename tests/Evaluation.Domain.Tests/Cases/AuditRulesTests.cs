using Evaluation.Contracts.Cases;
using Evaluation.Domain.Calendar;
using Evaluation.Domain.Cases;
using Xunit;

namespace Evaluation.Domain.Tests.Cases;

public sealed class AuditRulesTests
{
    private static readonly Actor Supervisor = new("sup-1", "province-supervisor");
    private static readonly Actor Officer = new("off-gz", "city-officer");
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 10, 0, 0, TimeSpan.FromHours(8));

    private readonly AuditRules rules = new(WorkingCalendar.Default, new CaseSettings { WatchDays = 30 });

    [Fact]
    public void Default_deadline_is_the_end_of_the_15th_working_day()
    {
        var opened = Open(Monday);
        // 24–27 Nov, 30 Nov–4 Dec, 7–11 Dec, 14 Dec: the 15th working day is Monday 14 December; the
        // deadline is that day's end in Shanghai.
        Assert.Equal(new DateTimeOffset(2026, 12, 15, 0, 0, 0, TimeSpan.FromHours(8)), opened.Deadline);
    }

    [Fact]
    public void Deadline_skips_the_National_Day_week_and_counts_the_make_up_Saturday()
    {
        var opened = Open(new DateTimeOffset(2026, 9, 30, 10, 0, 0, TimeSpan.FromHours(8)));
        // 8, 9, 10 (make-up Saturday), 12–16, 19–23, 26, 27 October: the 15th working day is Tue 27 Oct.
        Assert.Equal(new DateTimeOffset(2026, 10, 28, 0, 0, 0, TimeSpan.FromHours(8)), opened.Deadline);
    }

    [Fact]
    public void A_supervisor_deadline_overrides_the_default_but_not_into_the_past()
    {
        var wanted = Monday.AddDays(3);
        Assert.Equal(wanted, rules.Open("a-1", Opening(wanted), Monday).Deadline);
        var refused = Assert.Throws<AuditRefusedException>(() => rules.Open("a-1", Opening(Monday.AddDays(-1)), Monday));
        Assert.StartsWith("deadline:", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_loop_runs_with_one_rejection_and_records_every_step()
    {
        var c = Open(Monday);
        c = Step(c, AuditStep.Analysis, Officer, "staff shortage at the window", Monday.AddHours(1));
        Assert.Equal(AuditState.CityAnalysing, c.State);
        c = Step(c, AuditStep.Rectification, Officer, "two more staff on Mondays", Monday.AddDays(1));
        c = Step(c, AuditStep.Submission, Officer, "done", Monday.AddDays(2), new Attachment("roster.pdf", "application/pdf", 1234, null));
        c = Step(c, AuditStep.Rejection, Supervisor, "no evidence of training", Monday.AddDays(3));
        Assert.Equal(AuditState.Rejected, c.State);
        c = Step(c, AuditStep.Rectification, Officer, "training held", Monday.AddDays(4));
        c = Step(c, AuditStep.Submission, Officer, "with the training record", Monday.AddDays(5));
        c = Step(c, AuditStep.Verification, Supervisor, null, Monday.AddDays(6));

        Assert.Equal(AuditState.Verified, c.State);
        Assert.Equal(Monday.AddDays(36), c.WatchUntil);
        Assert.Equal(
            [AuditStep.Opened, AuditStep.Analysis, AuditStep.Rectification, AuditStep.Submission, AuditStep.Rejection,
             AuditStep.Rectification, AuditStep.Submission, AuditStep.Verification],
            c.History.Select(h => h.Step));
        Assert.Equal(Enumerable.Range(1, 8), c.History.Select(h => h.Sequence));
        var submission = c.History[3];
        Assert.Equal((AuditState.Rectifying, AuditState.Submitted), (submission.From!.Value, submission.To));
        Assert.Equal(("off-gz", "city-officer", Monday.AddDays(2)), (submission.Actor, submission.Role, submission.At));
        Assert.Equal("roster.pdf", Assert.Single(submission.Attachments).Name);
    }

    [Theory]
    [InlineData(AuditStep.Verification, "province-supervisor", "a case that is opened cannot take 'verification'; next possible: 'analysis'")]
    [InlineData(AuditStep.Submission, "city-officer", "a case that is opened cannot take 'submission'; next possible: 'analysis'")]
    [InlineData(AuditStep.Analysis, "province-supervisor", "'analysis' is for the city-officer, not the province-supervisor")]
    [InlineData(AuditStep.Escalation, "province-supervisor", "'escalation' is taken by the system, not requested.")]
    public void Illegal_steps_are_refused_with_the_reason(AuditStep step, string role, string message)
    {
        var c = Open(Monday);
        var refused = Assert.Throws<AuditRefusedException>(() =>
            rules.Apply(c, new AuditCommand(step, new Actor("someone", role), "note", []), Monday));
        Assert.Equal(message, refused.Message);
    }

    [Fact]
    public void A_rejection_needs_a_reason_and_a_city_cannot_verify_itself()
    {
        var c = Submitted(Monday);
        Assert.Equal("note: 'rejection' needs a note",
            Assert.Throws<AuditRefusedException>(() => rules.Apply(c, new AuditCommand(AuditStep.Rejection, Supervisor, " ", []), Monday)).Message);
        Assert.Throws<AuditRefusedException>(() => rules.Apply(c, new AuditCommand(AuditStep.Verification, Officer, null, []), Monday));
    }

    [Theory]
    [InlineData("name", "attachments: name is at most 200 characters")]
    [InlineData("contentType", "attachments: contentType is at most 200 characters")]
    [InlineData("sha256", "attachments: sha256 is at most 200 characters")]
    [InlineData("sizeBytes", "attachments: sizeBytes cannot be negative")]
    public void Attachment_metadata_is_bounded_and_the_field_named(string field, string message)
    {
        var c = Step(Open(Monday), AuditStep.Analysis, Officer, null, Monday);
        c = Step(c, AuditStep.Rectification, Officer, "fix", Monday);
        var tooLong = new string('x', 201);
        var attachment = field switch
        {
            "name" => new Attachment(tooLong, null, null, null),
            "contentType" => new Attachment("a.pdf", tooLong, null, null),
            "sha256" => new Attachment("a.pdf", null, null, tooLong),
            _ => new Attachment("a.pdf", null, -1, null),
        };
        var refused = Assert.Throws<AuditRefusedException>(() => Step(c, AuditStep.Submission, Officer, "fixed", Monday, attachment));
        Assert.Equal(message, refused.Message);
        Step(c, AuditStep.Submission, Officer, "fixed", Monday, new Attachment(new string('x', 200), "application/pdf", 0, new string('f', 64)));
    }

    [Fact]
    public void An_overdue_case_escalates_once_and_a_submitted_one_is_not_overdue()
    {
        var c = Open(Monday);
        Assert.Same(c, rules.Check(c, c.Deadline));
        var later = c.Deadline.AddMinutes(1);
        var escalated = rules.Check(c, later);
        Assert.True(escalated.Escalated);
        var entry = escalated.History[^1];
        Assert.Equal((AuditStep.Escalation, "system", later), (entry.Step, entry.Actor, entry.At));
        Assert.Same(escalated, rules.Check(escalated, later.AddDays(1)));

        var submitted = Submitted(Monday);
        Assert.False(AuditRules.IsOverdue(submitted.State, submitted.Deadline, later));
        Assert.False(rules.Check(submitted, later).Escalated);
    }

    [Fact]
    public void Due_soon_counts_working_days_from_now()
    {
        var c = Open(Monday);
        var lastDay = new DateTimeOffset(2026, 12, 14, 9, 0, 0, TimeSpan.FromHours(8));
        Assert.True(rules.IsDueSoon(c.State, c.Deadline, lastDay, 0));
        Assert.True(rules.IsDueSoon(c.State, c.Deadline, lastDay.AddDays(-5), 3)); // Wednesday 9th: Thu, Fri, Mon
        Assert.False(rules.IsDueSoon(c.State, c.Deadline, lastDay.AddDays(-6), 3)); // Tuesday 8th: Wed, Thu, Fri
        Assert.False(rules.IsDueSoon(c.State, c.Deadline, c.Deadline.AddHours(1), 3)); // overdue instead
    }

    [Fact]
    public void A_relapse_during_the_watch_reopens_the_case_with_a_new_deadline()
    {
        var verifiedAt = Monday.AddDays(6);
        var c = Step(Submitted(Monday), AuditStep.Verification, Supervisor, null, verifiedAt);
        var relapseAt = verifiedAt.AddDays(10);
        var reopened = Step(c, AuditStep.Relapse, Actor.System, "差评率 back above the peer median", relapseAt);

        Assert.Equal(AuditState.Opened, reopened.State);
        Assert.Equal(1, reopened.Reopened);
        Assert.Null(reopened.WatchUntil);
        Assert.Equal(WorkingCalendar.Default.Deadline(relapseAt, new(15, Contracts.Registry.TimeLimitUnit.WorkingDays)), reopened.Deadline);
        Assert.Equal(AuditState.CityAnalysing, Step(reopened, AuditStep.Analysis, Officer, null, relapseAt).State);
    }

    [Fact]
    public void Only_a_new_alert_on_the_same_institution_during_the_watch_is_a_relapse()
    {
        var verifiedAt = Monday.AddDays(6);
        var c = Step(Submitted(Monday), AuditStep.Verification, Supervisor, null, verifiedAt);
        var during = verifiedAt.AddDays(5);

        Assert.True(AuditRules.IsRelapse(c, "inst-1", verifiedAt.AddDays(1), during));
        Assert.False(AuditRules.IsRelapse(c, "inst-2", verifiedAt.AddDays(1), during)); // another institution
        Assert.False(AuditRules.IsRelapse(c, "inst-1", verifiedAt.AddDays(-1), during)); // the alert that led to the audit
        Assert.False(AuditRules.IsRelapse(c, "inst-1", verifiedAt.AddDays(31), verifiedAt.AddDays(31))); // watch over
        Assert.False(AuditRules.IsRelapse(Submitted(Monday), "inst-1", during, during)); // not verified yet
    }

    [Fact]
    public void After_the_watch_the_case_stays_closed()
    {
        var verifiedAt = Monday.AddDays(6);
        var c = Step(Submitted(Monday), AuditStep.Verification, Supervisor, null, verifiedAt);
        Assert.True(AuditRules.NeedsChecks(c));
        var ended = rules.Check(c, verifiedAt.AddDays(31));
        Assert.Equal(AuditStep.WatchEnded, ended.History[^1].Step);
        Assert.False(AuditRules.NeedsChecks(ended));
        Assert.Throws<AuditRefusedException>(() => Step(ended, AuditStep.Relapse, Supervisor, "again", verifiedAt.AddDays(32)));
    }

    private AuditCase Open(DateTimeOffset at) => rules.Open("a-1", Opening(null), at);

    private static OpenAudit Opening(DateTimeOffset? deadline) =>
        new("inst-1", "440100", "alert-9", "差评率 far above peers", Supervisor, deadline);

    private AuditCase Submitted(DateTimeOffset at)
    {
        var c = Step(Open(at), AuditStep.Analysis, Officer, null, at);
        c = Step(c, AuditStep.Rectification, Officer, "fix", at);
        return Step(c, AuditStep.Submission, Officer, "fixed", at);
    }

    private AuditCase Step(AuditCase c, AuditStep step, Actor actor, string? note, DateTimeOffset at, params Attachment[] attachments) =>
        rules.Apply(c, new AuditCommand(step, actor, note, attachments), at);
}
