using Evaluation.Contracts.Cases;
using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Calendar;
using Evaluation.Domain.Ingestion;
using static Evaluation.Domain.Cases.CaseChecks;

namespace Evaluation.Domain.Cases;

/// <summary>What one follow-up step adds to the event log, so the handling measures count it.</summary>
public sealed record FollowUpLogEntry(string Key, LoggedEventKind Kind, bool OnTime, bool LeftOverdue);

/// <summary>A follow-up after a step, with the log entries the step makes (none for plans and feedback).</summary>
public sealed record FollowUpChange(FollowUp Next, IReadOnlyList<FollowUpLogEntry> Logged);

/// <summary>
/// The follow-up of one 差评 (SPEC 3.4): the city calls back (real-name) or checks the rating by a deadline,
/// plans and completes the rectification of a justified one by a second deadline and tells the rater what was
/// done, or appeals a mistaken or malicious one to the province, which upholds (the rating stops counting) or
/// dismisses (back to rectifying). When a stage's deadline passes, the system notes it once. Append-only history.
/// </summary>
public sealed class FollowUpRules(WorkingCalendar calendar, CaseSettings settings)
{
    private const int MaxAttachments = 20;
    private const int MaxAttachmentText = 200;

    public static bool IsBad(byte level) => level is 1 or 2;

    public FollowUp Open(FollowUpOpening o, DateTimeOffset now)
    {
        var days = o.RealName ? settings.CallBackWorkingDays : settings.CheckWorkingDays;
        var entry = new FollowUpEntry(1, FollowUpStep.Opened, null, FollowUpState.Open, Actor.System.Name, Actor.System.Role, now,
            o.RealName ? "real-name 差评: call the rater back" : "anonymous 差评: check the rating");
        return new FollowUp(o.EvaluationId, o.InstitutionId, o.CityCode, o.ServiceItem, o.Channel, o.Level, o.Tags, o.Comment, o.RealName,
            o.OccurredAt, FollowUpState.Open, now, WorkingDaysFrom(now, days), CalledBackAt: null, RectifyDeadline: null, ClosedAt: null, [entry]);
    }

    public FollowUp Apply(FollowUp current, FollowUpCommand command, DateTimeOffset now) => Take(current, command, now).Next;

    /// <summary>
    /// Applies a requested step. A step taken in a stage whose deadline has passed unnoticed first notes the stage
    /// overdue, so every late step is counted as missed whether or not the overdue sweep got there first.
    /// </summary>
    public FollowUpChange Take(FollowUp current, FollowUpCommand command, DateTimeOffset now)
    {
        Require(FollowUpTransitions.ByStep.TryGetValue(command.Step, out var rule), $"'{Name(command.Step)}' is not a step anyone requests");
        Require(rule.From.Contains(current.State),
            $"a follow-up that is {Name(current.State)} cannot take '{Name(command.Step)}'; next possible: {Listed(current.State)}");
        Require(command.Actor.Role == rule.Role, $"'{Name(command.Step)}' is for the {rule.Role}, not the {command.Actor.Role}");
        Require(!string.IsNullOrWhiteSpace(command.Note), $"note: '{Name(command.Step)}' needs a note");
        CheckText(command.Note, "note");
        CheckAttachments(command);
        Require(command.Step == FollowUpStep.CallBack || command.Outcome is null, "outcome: only a call-back has an outcome");

        var logged = new List<FollowUpLogEntry>();
        if (NoteOverdue(current, now) is { } noted)
        {
            logged.AddRange(noted.Logged);
            current = noted.Next;
        }

        var leftOverdue = current.OverdueNoted;
        var next = current with { State = rule.To ?? current.State };
        next = command.Step switch
        {
            FollowUpStep.CallBack => next with
            {
                CalledBackAt = now,
                CallBackOutcome = command.Outcome ?? (current.RealName ? CallBackOutcome.Justified : CallBackOutcome.Checked),
                RectifyDeadline = WorkingDaysFrom(now, settings.RectifyWorkingDays),
            },
            FollowUpStep.Plan => next with { RectificationPlan = command.Note },
            FollowUpStep.Rectify => next with { RectifiedAt = now },
            FollowUpStep.Dismiss => next with { RectifyDeadline = WorkingDaysFrom(now, settings.RectifyWorkingDays) },
            FollowUpStep.Feedback => next with { FeedbackAt = now, ClosedAt = now },
            FollowUpStep.Uphold => next with { ClosedAt = now },
            _ => next,
        };
        next = Append(current, next, command.Step, command.Actor, now, command.Note, command.Outcome, command.Attachments);

        var key = $"fu:{current.Id}:{next.History.Count}";
        switch (command.Step)
        {
            case FollowUpStep.CallBack:
                logged.Add(new(key, LoggedEventKind.FollowUpCalledBack, now <= current.CallBackDeadline, leftOverdue));
                break;
            case FollowUpStep.Rectify:
                logged.Add(new(key, LoggedEventKind.FollowUpRectified, now <= current.RectifyDeadline, leftOverdue));
                break;
            case FollowUpStep.Appeal:
                logged.Add(new(key, LoggedEventKind.FollowUpAppealed, false, leftOverdue));
                break;
            case FollowUpStep.Dismiss:
                logged.Add(new(key, LoggedEventKind.FollowUpAppealDismissed, false, false));
                break;
            case FollowUpStep.Uphold:
                // The exclusion's key predates the other steps' keys; kept so a stored appeal is never excluded twice.
                logged.Add(new(DedupKeys.ExclusionOf(current.Id), LoggedEventKind.EvaluationExcluded, false, false));
                break;
        }

        return new FollowUpChange(next, logged);
    }

    /// <summary>Notes that the current stage is past its deadline; null when it is not, or already noted.</summary>
    public static FollowUpChange? NoteOverdue(FollowUp current, DateTimeOffset now)
    {
        if (!current.IsOverdueAt(now) || current.OverdueNoted)
        {
            return null;
        }

        var kind = current.State == FollowUpState.Open ? LoggedEventKind.FollowUpCallBackOverdue : LoggedEventKind.FollowUpRectifyOverdue;
        var next = Append(current, current with { OverdueStage = current.Stage }, FollowUpStep.Overdue, Actor.System, now,
            $"{(current.State == FollowUpState.Open ? "call-back" : "rectification")} deadline {current.DueAt:yyyy-MM-dd HH:mm zzz} passed", null, null);
        return new FollowUpChange(next, [new($"fu:{current.Id}:{next.History.Count}", kind, false, false)]);
    }

    private static FollowUp Append(
        FollowUp current, FollowUp next, FollowUpStep step, Actor actor, DateTimeOffset now, string? note,
        CallBackOutcome? outcome, IReadOnlyList<Attachment>? attachments) =>
        next with
        {
            History = [.. current.History, new FollowUpEntry(current.History.Count + 1, step, current.State, next.State,
                actor.Name, actor.Role, now, note, outcome, attachments is { Count: > 0 } ? attachments : null)],
        };

    private static void CheckAttachments(FollowUpCommand command)
    {
        var attachments = command.Attachments ?? [];
        Require(attachments.Count == 0 || command.Step == FollowUpStep.Appeal || command.Step == FollowUpStep.Rectify,
            "attachments: only an appeal or a completed rectification carries attachments");
        Require(attachments.Count <= MaxAttachments, $"attachments: at most {MaxAttachments}");
        foreach (var a in attachments)
        {
            Require(!string.IsNullOrWhiteSpace(a.Name), "attachments: every attachment needs a name");
            Require(a.Name.Length <= MaxAttachmentText && (a.ContentType?.Length ?? 0) <= MaxAttachmentText && (a.Sha256?.Length ?? 0) <= MaxAttachmentText,
                $"attachments: name, content type and sha256 are at most {MaxAttachmentText} characters each");
            Require(a.SizeBytes is null or >= 0, "attachments: sizeBytes cannot be negative");
        }
    }

    private DateTimeOffset WorkingDaysFrom(DateTimeOffset now, int days) =>
        calendar.Deadline(now, new TimeLimit(days, TimeLimitUnit.WorkingDays));

    private static string Listed(FollowUpState state)
    {
        var steps = FollowUpTransitions.ByStep.Where(t => t.Value.From.Contains(state)).Select(t => $"'{Name(t.Key)}'").ToList();
        return steps.Count > 0 ? string.Join(", ", steps) : "none";
    }
}
