using Evaluation.Contracts.Cases;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Calendar;
using static Evaluation.Domain.Cases.CaseChecks;

namespace Evaluation.Domain.Cases;

/// <summary>
/// The follow-up of one 差评 (SPEC 3.4): the city calls back (real-name) or checks the rating by a deadline,
/// rectifies a justified one and tells the rater, or appeals a mistaken or malicious one to the province,
/// which upholds (the rating stops counting) or dismisses (back to rectifying). Append-only history.
/// </summary>
public sealed class FollowUpRules(WorkingCalendar calendar, CaseSettings settings)
{
    private const string Supervisor = "province-supervisor";
    private const string CityOfficer = "city-officer";

    private static readonly Dictionary<FollowUpStep, (FollowUpState[] From, FollowUpState To, string Role)> Transitions = new()
    {
        [FollowUpStep.CallBack] = ([FollowUpState.Open], FollowUpState.Rectifying, CityOfficer),
        [FollowUpStep.Appeal] = ([FollowUpState.Open, FollowUpState.Rectifying], FollowUpState.Appealed, CityOfficer),
        [FollowUpStep.Feedback] = ([FollowUpState.Rectifying], FollowUpState.Closed, CityOfficer),
        [FollowUpStep.Uphold] = ([FollowUpState.Appealed], FollowUpState.Excluded, Supervisor),
        [FollowUpStep.Dismiss] = ([FollowUpState.Appealed], FollowUpState.Rectifying, Supervisor),
    };

    public static bool IsBad(byte level) => level is 1 or 2;

    public FollowUp Open(FollowUpOpening o, DateTimeOffset now)
    {
        var days = o.RealName ? settings.CallBackWorkingDays : settings.CheckWorkingDays;
        var entry = new FollowUpEntry(1, FollowUpStep.Opened, null, FollowUpState.Open, Actor.System.Name, Actor.System.Role, now,
            o.RealName ? "real-name 差评: call the rater back" : "anonymous 差评: check the rating");
        return new FollowUp(o.EvaluationId, o.InstitutionId, o.CityCode, o.ServiceItem, o.Channel, o.Level, o.Tags, o.Comment, o.RealName,
            o.OccurredAt, FollowUpState.Open, now, WorkingDaysFrom(now, days), CalledBackAt: null, RectifyDeadline: null, ClosedAt: null, [entry]);
    }

    public FollowUp Apply(FollowUp current, FollowUpCommand command, DateTimeOffset now)
    {
        Require(Transitions.TryGetValue(command.Step, out var rule), $"'{Name(command.Step)}' is not a step anyone requests");
        Require(rule.From.Contains(current.State),
            $"a follow-up that is {Name(current.State)} cannot take '{Name(command.Step)}'; next possible: {NextSteps(current.State)}");
        Require(command.Actor.Role == rule.Role, $"'{Name(command.Step)}' is for the {rule.Role}, not the {command.Actor.Role}");
        Require(!string.IsNullOrWhiteSpace(command.Note), $"note: '{Name(command.Step)}' needs a note");
        CheckText(command.Note, "note");

        var next = current with { State = rule.To };
        next = command.Step switch
        {
            FollowUpStep.CallBack => next with { CalledBackAt = now, RectifyDeadline = WorkingDaysFrom(now, settings.RectifyWorkingDays) },
            FollowUpStep.Dismiss => next with { RectifyDeadline = WorkingDaysFrom(now, settings.RectifyWorkingDays) },
            FollowUpStep.Feedback or FollowUpStep.Uphold => next with { ClosedAt = now },
            _ => next,
        };
        return next with
        {
            History = [.. current.History, new FollowUpEntry(current.History.Count + 1, command.Step, current.State, next.State,
                command.Actor.Name, command.Actor.Role, now, command.Note)],
        };
    }

    /// <summary>Past the deadline of the stage the city is in: the call-back, or the rectification.</summary>
    public static bool IsOverdue(FollowUp f, DateTimeOffset now) => f.State switch
    {
        FollowUpState.Open => now > f.CallBackDeadline,
        FollowUpState.Rectifying => f.RectifyDeadline is { } due && now > due,
        _ => false,
    };

    private DateTimeOffset WorkingDaysFrom(DateTimeOffset now, int days) =>
        calendar.Deadline(now, new TimeLimit(days, TimeLimitUnit.WorkingDays));

    private static string NextSteps(FollowUpState state)
    {
        var steps = Transitions.Where(t => t.Value.From.Contains(state)).Select(t => $"'{Name(t.Key)}'").ToList();
        return steps.Count > 0 ? string.Join(", ", steps) : "none";
    }
}
