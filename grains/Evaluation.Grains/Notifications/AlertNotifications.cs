using Evaluation.Contracts.Detection;
using Evaluation.Contracts.Notifications;
using Evaluation.Detection;

namespace Evaluation.Grains.Notifications;

/// <summary>
/// alert.raised for every alert the book did not hold before, alert.resolved for every alert that became resolved.
/// Ids only grow and resolved alerts stay in the book for a while, so the comparison sees each change once.
/// </summary>
public sealed class AlertNotifications : INotificationSource<AlertBookState>
{
    public IReadOnlyList<NotificationEvent> Changes(AlertBookState? before, AlertBookState after)
    {
        var known = (before?.Alerts ?? []).ToDictionary(a => a.Id);
        var lastKnown = before?.LastId ?? 0;
        var events = new List<NotificationEvent>();
        foreach (var alert in after.Alerts.OrderBy(a => a.Id))
        {
            var was = known.GetValueOrDefault(alert.Id);
            if (was is null && alert.Id > lastKnown)
            {
                events.Add(Event(alert, EventTypes.AlertRaised, "raised", alert.RaisedAt));
            }

            if (alert.State == AlertState.Resolved && was?.State != AlertState.Resolved && alert.ResolvedAt is { } resolvedAt)
            {
                events.Add(Event(alert, EventTypes.AlertResolved, "resolved", resolvedAt));
            }
        }

        return events;
    }

    private static NotificationEvent Event(AlertView alert, string type, string suffix, DateTimeOffset at) =>
        new($"alert-{alert.Id}-{suffix}", type, alert.CityCode, at,
            Immediate: type == EventTypes.AlertRaised && alert.Severity == AlertSeverity.High,
            NotificationEvent.Serialize(alert with { AnomalyScore = Math.Round(alert.AnomalyScore, 6) }));
}
