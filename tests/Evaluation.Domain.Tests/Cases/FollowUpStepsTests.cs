using Evaluation.Contracts.Cases;
using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Calendar;
using Evaluation.Domain.Cases;
using Evaluation.Domain.Ingestion;
using Xunit;

namespace Evaluation.Domain.Tests.Cases;

/// <summary>What each follow-up step writes to the log and its history, and the requests it refuses, word for word.</summary>
public sealed class FollowUpStepsTests
{
    private static readonly Actor Supervisor = new("sup-1", "province-supervisor");
    private static readonly Actor Officer = new("off-gz", "city-officer");
    private static readonly DateTimeOffset At = new(2026, 11, 23, 9, 0, 0, TimeSpan.FromHours(8));

    private readonly FollowUpRules rules = new(WorkingCalendar.Default, new CaseSettings());

    [Fact]
    public void The_opening_note_says_whether_the_rater_is_called_back_or_the_rating_checked()
    {
        Assert.Equal("real-name 差评: call the rater back", Open(realName: true).History[0].Note);
        Assert.Equal("anonymous 差评: check the rating", Open(realName: false).History[0].Note);
    }

    [Fact]
    public void A_call_back_without_an_outcome_finds_a_real_name_complaint_justified_and_an_anonymous_one_checked()
    {
        Assert.Equal(CallBackOutcome.Justified, rules.Apply(Open(realName: true), Command(FollowUpStep.CallBack), At).CallBackOutcome);
        Assert.Equal(CallBackOutcome.Checked, rules.Apply(Open(realName: false), Command(FollowUpStep.CallBack), At).CallBackOutcome);
        Assert.Equal(
            CallBackOutcome.Mistaken,
            rules.Apply(Open(realName: true), Command(FollowUpStep.CallBack) with { Outcome = CallBackOutcome.Mistaken }, At).CallBackOutcome);
    }

    [Fact]
    public void A_step_taken_at_its_deadline_is_on_time()
    {
        var open = Open(realName: true);
        var calledBack = rules.Take(open, Command(FollowUpStep.CallBack), open.CallBackDeadline);
        Assert.Equal(new FollowUpLogEntry($"fu:{open.Id}:2", LoggedEventKind.FollowUpCalledBack, true, false), Assert.Single(calledBack.Logged));

        var rectifying = calledBack.Next;
        var rectified = rules.Take(rectifying, Command(FollowUpStep.Rectify), rectifying.RectifyDeadline!.Value);
        Assert.Equal(new FollowUpLogEntry($"fu:{open.Id}:3", LoggedEventKind.FollowUpRectified, true, false), Assert.Single(rectified.Logged));
    }

    [Fact]
    public void An_appeal_and_its_decision_are_logged_and_an_upheld_one_excludes_the_rating()
    {
        var open = Open(realName: false);
        var appealed = rules.Take(open, Command(FollowUpStep.Appeal), At);
        Assert.Equal(new FollowUpLogEntry($"fu:{open.Id}:2", LoggedEventKind.FollowUpAppealed, false, false), Assert.Single(appealed.Logged));

        var dismissed = rules.Take(appealed.Next, Command(FollowUpStep.Dismiss, Supervisor), At);
        Assert.Equal(new FollowUpLogEntry($"fu:{open.Id}:3", LoggedEventKind.FollowUpAppealDismissed, false, false), Assert.Single(dismissed.Logged));

        var upheld = rules.Take(appealed.Next, Command(FollowUpStep.Uphold, Supervisor), At);
        Assert.Equal(new FollowUpLogEntry(DedupKeys.ExclusionOf(open.Id), LoggedEventKind.EvaluationExcluded, false, false), Assert.Single(upheld.Logged));
        Assert.Empty(rules.Take(dismissed.Next, Command(FollowUpStep.Plan), At).Logged);
    }

    [Fact]
    public void An_appeal_after_a_noted_overdue_call_back_leaves_the_overdue_stage()
    {
        var open = Open(realName: false);
        var late = open.CallBackDeadline.AddHours(1);
        var appealed = rules.Take(FollowUpRules.NoteOverdue(open, late)!.Next, Command(FollowUpStep.Appeal), late);
        Assert.Equal((LoggedEventKind.FollowUpAppealed, true), (Assert.Single(appealed.Logged).Kind, appealed.Logged[0].LeftOverdue));
    }

    [Fact]
    public void A_passed_deadline_is_noted_with_its_stage_in_the_note_and_the_log()
    {
        var open = Open(realName: true);
        var callBackLate = FollowUpRules.NoteOverdue(open, open.CallBackDeadline.AddMinutes(1))!;
        Assert.Equal(new FollowUpLogEntry($"fu:{open.Id}:2", LoggedEventKind.FollowUpCallBackOverdue, false, false), Assert.Single(callBackLate.Logged));
        Assert.StartsWith("call-back deadline ", callBackLate.Next.History[^1].Note, StringComparison.Ordinal);
        Assert.EndsWith(" passed", callBackLate.Next.History[^1].Note, StringComparison.Ordinal);

        var rectifying = rules.Apply(open, Command(FollowUpStep.CallBack), At);
        var rectifyLate = FollowUpRules.NoteOverdue(rectifying, rectifying.RectifyDeadline!.Value.AddMinutes(1))!;
        Assert.Equal(new FollowUpLogEntry($"fu:{open.Id}:3", LoggedEventKind.FollowUpRectifyOverdue, false, false), Assert.Single(rectifyLate.Logged));
        Assert.StartsWith("rectification deadline ", rectifyLate.Next.History[^1].Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Attachments_are_kept_in_the_history_of_an_appeal_and_an_empty_list_is_none()
    {
        Attachment[] files = [new("photo.jpg", "image/jpeg", 1024, new string('a', 64))];
        var appealed = rules.Apply(Open(realName: false), Command(FollowUpStep.Appeal) with { Attachments = files }, At);
        Assert.Same(files, appealed.History[^1].Attachments);

        var rectifying = rules.Apply(Open(realName: true), Command(FollowUpStep.CallBack) with { Attachments = [] }, At);
        Assert.Null(rectifying.History[^1].Attachments);
    }

    [Fact]
    public void Attachments_at_their_limits_are_accepted()
    {
        var text = new string('x', 200);
        var files = Enumerable.Range(0, 20).Select(_ => new Attachment(text, text, 0, text)).ToList();
        Assert.Equal(20, rules.Apply(Open(realName: false), Command(FollowUpStep.Appeal) with { Attachments = files }, At).History[^1].Attachments!.Count);
        Assert.Single(rules.Apply(Open(realName: false), Command(FollowUpStep.Appeal) with { Attachments = [new("a.pdf", null, null, null)] }, At).History[^1].Attachments!);
    }

    public static TheoryData<string, FollowUpCommand> Refused => new()
    {
        { "'opened' is not a step anyone requests", Command(FollowUpStep.Opened) },
        { "note: at most 4000 characters", Command(FollowUpStep.Appeal) with { Note = new string('n', 4001) } },
        { "outcome: only a call-back has an outcome", Command(FollowUpStep.Appeal) with { Outcome = CallBackOutcome.Justified } },
        { "attachments: only an appeal or a completed rectification carries attachments", Command(FollowUpStep.CallBack) with { Attachments = [new("a.pdf", null, null, null)] } },
        { "attachments: at most 20", Command(FollowUpStep.Appeal) with { Attachments = [.. Enumerable.Range(0, 21).Select(i => new Attachment($"{i}.pdf", null, null, null))] } },
        { "attachments: every attachment needs a name", Command(FollowUpStep.Appeal) with { Attachments = [new(" ", null, null, null)] } },
        { "attachments: name, content type and sha256 are at most 200 characters each", Command(FollowUpStep.Appeal) with { Attachments = [new(new string('x', 201), null, null, null)] } },
        { "attachments: name, content type and sha256 are at most 200 characters each", Command(FollowUpStep.Appeal) with { Attachments = [new("a.pdf", new string('x', 201), null, null)] } },
        { "attachments: name, content type and sha256 are at most 200 characters each", Command(FollowUpStep.Appeal) with { Attachments = [new("a.pdf", null, null, new string('x', 201))] } },
        { "attachments: sizeBytes cannot be negative", Command(FollowUpStep.Appeal) with { Attachments = [new("a.pdf", null, -1, null)] } },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_request_breaking_a_rule_is_refused_with_the_rule(string message, FollowUpCommand command) =>
        Assert.Equal(message, Assert.Throws<AuditRefusedException>(() => rules.Apply(Open(realName: false), command, At)).Message);

    [Fact]
    public void A_closed_follow_up_lists_no_possible_step()
    {
        var excluded = rules.Apply(rules.Apply(Open(realName: false), Command(FollowUpStep.Appeal), At), Command(FollowUpStep.Uphold, Supervisor), At);
        Assert.Equal("a follow-up that is excluded cannot take 'appeal'; next possible: none",
            Assert.Throws<AuditRefusedException>(() => rules.Apply(excluded, Command(FollowUpStep.Appeal), At)).Message);
    }

    private static FollowUpCommand Command(FollowUpStep step, Actor? actor = null) => new(step, actor ?? Officer, "a note");

    private FollowUp Open(bool realName) => rules.Open(
        new FollowUpOpening("src-1-000001", "inst-1", "440100", "PAT-SEARCH", Channel.Window, IpDomain.Patent, new DateOnly(2026, 11, 23),
            At, 1, ["slow"], "waited too long", realName, null),
        At);
}
