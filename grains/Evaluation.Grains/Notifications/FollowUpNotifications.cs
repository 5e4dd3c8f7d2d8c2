using Evaluation.Contracts.Cases;
using Evaluation.Contracts.Notifications;

namespace Evaluation.Grains.Notifications;

/// <summary>
/// follow-up.overdue when the system notes a passed deadline, appeal.decided when the province upholds or dismisses
/// an appeal: both are logged follow-up steps, so the event log writes these events in the transaction that saves
/// the follow-up. Never the rater's contact or comment.
/// </summary>
public static class FollowUpNotifications
{
    public static NotificationEvent? Of(FollowUp followUp)
    {
        if (followUp.History.Count == 0)
        {
            return null;
        }

        var line = followUp.History[^1];
        var type = line.Step switch
        {
            FollowUpStep.Overdue => EventTypes.FollowUpOverdue,
            FollowUpStep.Uphold or FollowUpStep.Dismiss => EventTypes.AppealDecided,
            _ => null,
        };
        if (type is null)
        {
            return null;
        }

        var data = new
        {
            followUpId = followUp.Id,
            followUp.InstitutionId,
            followUp.CityCode,
            followUp.ServiceItem,
            followUp.Level,
            followUp.State,
            followUp.CallBackDeadline,
            followUp.RectifyDeadline,
            decision = line.Step switch
            {
                FollowUpStep.Uphold => "upheld",
                FollowUpStep.Dismiss => "dismissed",
                _ => null,
            },
            step = new { line.Sequence, line.Step, line.Actor, line.Role, line.At, line.Note },
        };
        return new NotificationEvent($"follow-up-{followUp.Id}-{line.Sequence}", type, followUp.CityCode, line.At, Immediate: false,
            NotificationEvent.Serialize(data));
    }
}
