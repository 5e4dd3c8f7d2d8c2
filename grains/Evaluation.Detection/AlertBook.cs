using Evaluation.Contracts.Detection;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Cases;

namespace Evaluation.Detection;

/// <summary>The alerts and the bookkeeping hysteresis needs; the detection grain persists it as is.</summary>
[GenerateSerializer, Alias("AlertBookState")]
public sealed class AlertBookState
{
    /// <summary>Open alerts and the most recent resolved ones, oldest first. Ids only grow.</summary>
    [Id(0)] public List<AlertView> Alerts { get; set; } = [];

    /// <summary>Consecutive runs an open alert's condition has been absent, by alert id.</summary>
    [Id(1)] public Dictionary<long, int> QuietRuns { get; set; } = [];

    [Id(2)] public long LastId { get; set; }
}

/// <summary>The model a run used, recorded on every alert it raises.</summary>
public sealed record ModelStamp(string Version, DateTimeOffset? TrainedAt)
{
    public static ModelStamp RulesOnly { get; } = new("peer-rules-v1", null);

    public static ModelStamp Of(SatisfactionModel? model) =>
        model is null ? RulesOnly : new(model.Version, model.TrainedAt);
}

public sealed record AlertChanges(IReadOnlyList<AlertView> Raised, IReadOnlyList<AlertView> Resolved);

/// <summary>
/// One open alert per institution and reason (and failing service item or channel, when the signal names one). A raise signal opens one (or refreshes the open one's severity
/// and explanation, never duplicating it); it resolves only after <see cref="DetectionSettings.ClearRuns"/>
/// consecutive runs without even the weaker hold condition, so a node hovering at the line does not flap.
/// A supervisor triages an open alert (dismisses it, or opens an audit from it); a triaged alert still counts as
/// the one alert of its institution and reason until the institution recovers, so a dismissal holds until then.
/// </summary>
public sealed class AlertBook(AlertBookState state, DetectionSettings settings)
{
    /// <summary>Resolved alerts kept for the list; older ones are dropped (the audit trail lives with audits).</summary>
    public const int ResolvedKept = 5000;

    public AlertBookState State { get; } = state;

    public IEnumerable<AlertView> Open => State.Alerts.Where(a => a.State == AlertState.Open);

    /// <param name="judged">The reasons this run judged; an open alert of another reason is left as it is (its
    /// inputs could not be read this run), not counted quiet. Null: every reason was judged.</param>
    public AlertChanges Apply(IReadOnlyList<Signal> signals, DateTimeOffset now, ModelStamp model, IReadOnlySet<AlertReason>? judged = null)
    {
        var raised = new List<AlertView>();
        var resolved = new List<AlertView>();
        var open = State.Alerts
            .Select((alert, index) => (alert, index))
            .Where(x => x.alert.State != AlertState.Resolved)
            .ToDictionary(x => (x.alert.InstitutionId, x.alert.Reason, x.alert.ServiceItem, x.alert.Channel), x => x.index);
        var seen = new HashSet<(string, AlertReason, string?, Channel?)>();
        foreach (var signal in signals)
        {
            var key = (signal.InstitutionId, signal.Reason, signal.ServiceItem, signal.Channel);
            if (open.TryGetValue(key, out var index))
            {
                seen.Add(key);
                var alert = State.Alerts[index];
                State.QuietRuns.Remove(alert.Id);
                if (signal.Raise)
                {
                    State.Alerts[index] = alert with
                    {
                        Severity = (AlertSeverity)Math.Max((int)alert.Severity, (int)signal.Severity),
                        Explanation = signal.Explanation,
                        AnomalyScore = signal.AnomalyScore,
                    };
                }
            }
            else if (signal.Raise)
            {
                seen.Add(key);
                var alert = new AlertView(
                    ++State.LastId,
                    signal.InstitutionId,
                    signal.CityCode,
                    signal.Reason,
                    signal.Severity,
                    AlertState.Open,
                    now,
                    model.Version,
                    model.TrainedAt,
                    signal.Explanation,
                    null,
                    signal.AnomalyScore,
                    ServiceItem: signal.ServiceItem,
                    Channel: signal.Channel);
                State.Alerts.Add(alert);
                raised.Add(alert);
            }
        }

        foreach (var (key, index) in open)
        {
            if (seen.Contains(key) || (judged is not null && !judged.Contains(key.Reason)))
            {
                continue;
            }

            var alert = State.Alerts[index];
            var quiet = State.QuietRuns.GetValueOrDefault(alert.Id) + 1;
            if (quiet < settings.ClearRuns)
            {
                State.QuietRuns[alert.Id] = quiet;
                continue;
            }

            State.QuietRuns.Remove(alert.Id);
            var closed = alert with { State = AlertState.Resolved, ResolvedAt = now };
            State.Alerts[index] = closed;
            resolved.Add(closed);
        }

        DropOldResolved();
        return new AlertChanges(raised, resolved);
    }

    public TriageOutcome Dismiss(long id, string? reason, string actor, DateTimeOffset now) =>
        Triage(id, null, reason, alert => alert with
        {
            State = AlertState.Dismissed,
            Triage = new AlertTriage(actor, now, reason!, null),
        });

    /// <summary>An open alert of <paramref name="institutionId"/> moves to audit-opened, naming the case.</summary>
    public TriageOutcome OpenAudit(long id, string institutionId, string caseId, string? reason, string actor, DateTimeOffset now) =>
        Triage(id, institutionId, reason, alert => alert with
        {
            State = AlertState.AuditOpened,
            Triage = new AlertTriage(actor, now, reason!, caseId),
        });

    /// <summary>Undoes <see cref="OpenAudit"/> for a case that never came to be; anything else is left alone.</summary>
    public bool ReleaseAudit(long id, string caseId)
    {
        var index = State.Alerts.FindIndex(a => a.Id == id);
        if (index < 0 || State.Alerts[index] is not { State: AlertState.AuditOpened, Triage.CaseId: var claimed } alert || claimed != caseId)
        {
            return false;
        }

        State.Alerts[index] = alert with { State = AlertState.Open, Triage = null };
        return true;
    }

    public AlertPage Query(AlertQuery query, int maxPageSize)
    {
        var matches = State.Alerts
            .Where(a => query.State is null || a.State == query.State)
            .Where(a => query.City is null || a.CityCode == query.City)
            .Where(a => query.Severity is null || a.Severity == query.Severity)
            .Where(a => query.Kind is null || a.Reason == query.Kind)
            .OrderByDescending(a => a.Severity)
            .ThenByDescending(a => a.Id)
            .ToList();
        var pageSize = Math.Clamp(query.PageSize, 1, maxPageSize);
        var page = Math.Max(1, query.Page);
        var skip = (int)Math.Min((long)(page - 1) * pageSize, matches.Count);
        return new AlertPage([.. matches.Skip(skip).Take(pageSize)], matches.Count, page, pageSize);
    }

    public IReadOnlyList<AlertView> RaisedAfter(long id) => [.. State.Alerts.Where(a => a.Id > id).OrderBy(a => a.Id)];

    private TriageOutcome Triage(long id, string? institutionId, string? reason, Func<AlertView, AlertView> decide)
    {
        var index = State.Alerts.FindIndex(a => a.Id == id);
        if (index < 0)
        {
            return Refuse(TriageProblem.NotFound, "alertId", $"no alert has the id {id}");
        }

        var alert = State.Alerts[index];
        if (alert.State != AlertState.Open)
        {
            return Refuse(TriageProblem.NotOpen, "alertId",
                $"alert {id} is {CaseChecks.Name(alert.State)}; only an open alert can be triaged");
        }

        if (institutionId is not null && alert.InstitutionId != institutionId)
        {
            return Refuse(TriageProblem.OtherInstitution, "alertId",
                $"alert {id} is about institution '{alert.InstitutionId}', not '{institutionId}'");
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            return Refuse(TriageProblem.ReasonMissing, "reason", "a reason is required");
        }

        if (reason.Length > CaseChecks.MaxNoteLength)
        {
            return Refuse(TriageProblem.ReasonTooLong, "reason", $"at most {CaseChecks.MaxNoteLength} characters");
        }

        State.Alerts[index] = decide(alert);
        return new TriageOutcome(State.Alerts[index], null);
    }

    private static TriageOutcome Refuse(TriageProblem problem, string field, string message) =>
        new(null, new TriageRefusal(problem, field, message));

    private void DropOldResolved()
    {
        var excess = State.Alerts.Count(a => a.State == AlertState.Resolved) - ResolvedKept;
        if (excess > 0)
        {
            var drop = State.Alerts.Where(a => a.State == AlertState.Resolved).Take(excess).Select(a => a.Id).ToHashSet();
            State.Alerts.RemoveAll(a => drop.Contains(a.Id));
        }
    }
}
