using Evaluation.Contracts.Cases;
using Evaluation.Contracts.Notifications;
using Evaluation.Grains.Cases;

namespace Evaluation.Grains.Notifications;

/// <summary>
/// One event per new history line of an audit whose step people are told about (opened, escalated, submitted,
/// verified, rejected, reopened); analysis, rectification plans and the end of a watch are not announced.
/// </summary>
public sealed class AuditNotifications : INotificationSource<AuditCaseState>
{
    public IReadOnlyList<NotificationEvent> Changes(AuditCaseState? before, AuditCaseState after)
    {
        if (after.Case is not { } audit)
        {
            return [];
        }

        var seen = before?.Case?.Id == audit.Id ? before.Case.History.Count : 0;
        return
        [
            .. audit.History.Skip(seen)
                .Where(line => TypeOf(line.Step) is not null)
                .Select(line => new NotificationEvent($"audit-{audit.Id}-{line.Sequence}", TypeOf(line.Step)!, audit.CityCode, line.At,
                    Immediate: line.Step == AuditStep.Escalation,
                    NotificationEvent.Serialize(new { audit = audit.Summary(), step = line })))
        ];
    }

    public static string? TypeOf(AuditStep step) => step switch
    {
        AuditStep.Opened => EventTypes.AuditOpened,
        AuditStep.Escalation => EventTypes.AuditEscalated,
        AuditStep.Submission => EventTypes.AuditSubmitted,
        AuditStep.Verification => EventTypes.AuditVerified,
        AuditStep.Rejection => EventTypes.AuditRejected,
        AuditStep.Relapse => EventTypes.AuditReopened,
        _ => null,
    };
}
