using Evaluation.Contracts.Cases;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Calendar;
using static Evaluation.Domain.Cases.CaseChecks;

namespace Evaluation.Domain.Cases;

/// <summary>
/// The audit (督查) state machine of SPEC 3.3: which step may follow which, who may take it, the deadline on
/// the working-day calendar, escalation when overdue, and the watch after verification during which a
/// relapse reopens the case. Every change appends one history line; nothing is ever rewritten.
/// </summary>
public sealed class AuditRules(WorkingCalendar calendar, CaseSettings settings)
{
    public const int MaxAttachments = 20;

    /// <summary>Longest attachment name, content type or sha256, as for follow-up steps.</summary>
    public const int MaxAttachmentText = 200;

    private const string Supervisor = "province-supervisor";
    private const string CityOfficer = "city-officer";

    private static readonly Dictionary<AuditStep, (AuditState[] From, AuditState To, string[] Roles, bool NoteRequired)> Transitions = new()
    {
        [AuditStep.Analysis] = ([AuditState.Opened], AuditState.CityAnalysing, [CityOfficer], false),
        [AuditStep.Rectification] = ([AuditState.CityAnalysing, AuditState.Rejected], AuditState.Rectifying, [CityOfficer], true),
        [AuditStep.Submission] = ([AuditState.Rectifying], AuditState.Submitted, [CityOfficer], true),
        [AuditStep.Rejection] = ([AuditState.Submitted], AuditState.Rejected, [Supervisor], true),
        [AuditStep.Verification] = ([AuditState.Submitted], AuditState.Verified, [Supervisor], false),
        [AuditStep.Relapse] = ([AuditState.Verified], AuditState.Opened, [Supervisor, Actor.System.Role], true),
    };

    public AuditCase Open(string id, OpenAudit command, DateTimeOffset now)
    {
        Require(!string.IsNullOrWhiteSpace(command.Reason), "reason: say why the audit is opened");
        Require(command.Actor.Role == Supervisor, "only a province supervisor opens audits");
        CheckText(command.Reason, "reason");
        var deadline = DeadlineFrom(now, command.Deadline);
        var entry = new AuditEntry(1, AuditStep.Opened, null, AuditState.Opened, command.Actor.Name, command.Actor.Role, now, command.Reason, []);
        return new AuditCase(id, command.InstitutionId, command.CityCode, command.AlertId, command.Reason, AuditState.Opened,
            now, deadline, Escalated: false, VerifiedAt: null, WatchUntil: null, Reopened: 0, History: [entry]);
    }

    /// <summary>Takes one step, or throws <see cref="AuditRefusedException"/> saying why not and what may come next.</summary>
    public AuditCase Apply(AuditCase current, AuditCommand command, DateTimeOffset now)
    {
        if (!Transitions.TryGetValue(command.Step, out var rule))
        {
            throw new AuditRefusedException($"'{Name(command.Step)}' is taken by the system, not requested.");
        }

        Require(rule.From.Contains(current.State),
            $"a case that is {Name(current.State)} cannot take '{Name(command.Step)}'; next possible: {NextSteps(current.State)}");
        Require(rule.Roles.Contains(command.Actor.Role),
            $"'{Name(command.Step)}' is for the {string.Join(" or ", rule.Roles)}, not the {command.Actor.Role}");
        Require(!rule.NoteRequired || !string.IsNullOrWhiteSpace(command.Note), $"note: '{Name(command.Step)}' needs a note");
        CheckText(command.Note, "note");
        Require(command.Attachments.Count <= MaxAttachments, $"attachments: at most {MaxAttachments}");
        foreach (var a in command.Attachments)
        {
            Require(!string.IsNullOrWhiteSpace(a.Name), "attachments: every attachment needs a name");
            Require(a.Name.Length <= MaxAttachmentText, $"attachments: name is at most {MaxAttachmentText} characters");
            Require((a.ContentType?.Length ?? 0) <= MaxAttachmentText, $"attachments: contentType is at most {MaxAttachmentText} characters");
            Require((a.Sha256?.Length ?? 0) <= MaxAttachmentText, $"attachments: sha256 is at most {MaxAttachmentText} characters");
            Require(a.SizeBytes is null or >= 0, "attachments: sizeBytes cannot be negative");
        }

        Require(command.Deadline is null || command.Step is AuditStep.Rejection or AuditStep.Relapse,
            "deadline: only a rejection or a relapse sets a new deadline");
        if (command.Step == AuditStep.Relapse)
        {
            Require(current.WatchUntil is { } until && now <= until, "the watch after verification is over; open a new audit instead");
        }

        var next = current with { State = rule.To };
        next = command.Step switch
        {
            AuditStep.Verification => next with { VerifiedAt = now, WatchUntil = now.AddDays(settings.WatchDays) },
            AuditStep.Rejection when command.Deadline is not null => next with { Deadline = DeadlineFrom(now, command.Deadline) },
            AuditStep.Relapse => next with
            {
                Deadline = DeadlineFrom(now, command.Deadline),
                Escalated = false,
                VerifiedAt = null,
                WatchUntil = null,
                Reopened = current.Reopened + 1,
            },
            _ => next,
        };
        return Append(next, command.Step, current.State, command.Actor, now, command.Note, command.Attachments);
    }

    /// <summary>What time alone does to a case: escalation once overdue, the end of the watch. Unchanged when nothing is due.</summary>
    public AuditCase Check(AuditCase current, DateTimeOffset now)
    {
        if (IsOverdue(current.State, current.Deadline, now) && !current.Escalated)
        {
            var escalated = current with { Escalated = true };
            return Append(escalated, AuditStep.Escalation, current.State, Actor.System, now,
                $"overdue: the deadline {current.Deadline:yyyy-MM-dd HH:mm zzz} has passed", []);
        }

        if (current.State == AuditState.Verified && current.WatchUntil is { } until && now > until)
        {
            return Append(current with { WatchUntil = null }, AuditStep.WatchEnded, current.State, Actor.System, now,
                "no relapse during the watch; the case stays closed", []);
        }

        return current;
    }

    /// <summary>
    /// A new alert on the audited institution, raised after verification and while the watch lasts, is a relapse.
    /// </summary>
    public static bool IsRelapse(AuditCase c, string alertInstitutionId, DateTimeOffset alertRaisedAt, DateTimeOffset now) =>
        c.State == AuditState.Verified
        && c.WatchUntil is { } until && now <= until
        && c.VerifiedAt is { } verifiedAt && alertRaisedAt > verifiedAt
        && alertInstitutionId == c.InstitutionId;

    /// <summary>Whether the reminder is still needed: an active case has a deadline, a verified one a watch.</summary>
    public static bool NeedsChecks(AuditCase c) => c.State != AuditState.Verified || c.WatchUntil is not null;

    /// <summary>
    /// Overdue while the city holds the case past its deadline. A submitted case waits on the province, so
    /// the city is not overdue then.
    /// </summary>
    public static bool IsOverdue(AuditState state, DateTimeOffset deadline, DateTimeOffset now) =>
        state is not (AuditState.Submitted or AuditState.Verified) && now > deadline;

    /// <summary>Not yet overdue, but due within <paramref name="workingDays"/> working days.</summary>
    public bool IsDueSoon(AuditState state, DateTimeOffset deadline, DateTimeOffset now, int workingDays) =>
        state is not (AuditState.Submitted or AuditState.Verified)
        && !IsOverdue(state, deadline, now)
        && deadline <= calendar.Deadline(now, new TimeLimit(workingDays, TimeLimitUnit.WorkingDays));

    private DateTimeOffset DeadlineFrom(DateTimeOffset now, DateTimeOffset? requested)
    {
        Require(requested is null || requested > now, "deadline: must lie in the future");
        return requested ?? calendar.Deadline(now, new TimeLimit(settings.AuditWorkingDays, TimeLimitUnit.WorkingDays));
    }

    private static AuditCase Append(AuditCase c, AuditStep step, AuditState from, Actor actor, DateTimeOffset now, string? note, IReadOnlyList<Attachment> attachments) =>
        c with { History = [.. c.History, new AuditEntry(c.History.Count + 1, step, from, c.State, actor.Name, actor.Role, now, note, attachments)] };

    private static string NextSteps(AuditState state)
    {
        var steps = Transitions.Where(t => t.Value.From.Contains(state)).Select(t => $"'{Name(t.Key)}'").ToList();
        return steps.Count > 0 ? string.Join(", ", steps) : "none";
    }
}
