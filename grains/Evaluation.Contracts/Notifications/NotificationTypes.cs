using Evaluation.Contracts.Cases;

namespace Evaluation.Contracts.Notifications;

/// <summary>The event types a subscription may ask for (SPEC 4.5.2), as they appear on the wire.</summary>
public static class EventTypes
{
    public const string AlertRaised = "alert.raised";
    public const string AlertResolved = "alert.resolved";
    public const string AuditOpened = "audit.opened";
    public const string AuditEscalated = "audit.escalated";
    public const string AuditSubmitted = "audit.submitted";
    public const string AuditVerified = "audit.verified";
    public const string AuditRejected = "audit.rejected";
    public const string AuditReopened = "audit.reopened";
    public const string FollowUpOverdue = "follow-up.overdue";
    public const string AppealDecided = "appeal.decided";

    public static IReadOnlyList<string> All { get; } =
    [
        AlertRaised, AlertResolved, AuditOpened, AuditEscalated, AuditSubmitted, AuditVerified, AuditRejected, AuditReopened,
        FollowUpOverdue, AppealDecided,
    ];
}

/// <summary>Where a delivery stands: retried until delivered, or given up (dead-lettered) after the configured time.</summary>
public enum DeliveryState
{
    Pending = 0,
    Delivered = 1,
    Dead = 2,
}

/// <summary>
/// A request to be notified: a webhook <see cref="Url"/> or an <see cref="Email"/> address (exactly one), the event
/// types, and the city whose events it receives (null: every city, supervisors only).
/// </summary>
[GenerateSerializer, Immutable, Alias("NewSubscription")]
public sealed record NewSubscription(
    [property: Id(0)] string? Url,
    [property: Id(1)] string? Email,
    [property: Id(2)] IReadOnlyList<string> Events,
    [property: Id(3)] string? CityCode);

[GenerateSerializer, Immutable, Alias("SubscriptionView")]
public sealed record SubscriptionView(
    [property: Id(0)] string Id,
    [property: Id(1)] string? Url,
    [property: Id(2)] string? Email,
    [property: Id(3)] IReadOnlyList<string> Events,
    [property: Id(4)] string? CityCode,
    [property: Id(5)] string CreatedBy,
    [property: Id(6)] DateTimeOffset CreatedAt,
    [property: Id(7)] int Pending,
    [property: Id(8)] int Delivered,
    [property: Id(9)] int Dead);

/// <summary>One thing wrong with a subscription request: the JSON field and the rule it breaks.</summary>
[GenerateSerializer, Immutable, Alias("SubscriptionProblem")]
public sealed record SubscriptionProblem(
    [property: Id(0)] string Field,
    [property: Id(1)] string Message);

/// <summary>The subscription made, or why none was.</summary>
[GenerateSerializer, Immutable, Alias("SubscriptionOutcome")]
public sealed record SubscriptionOutcome(
    [property: Id(0)] CreatedSubscription? Created,
    [property: Id(1)] IReadOnlyList<SubscriptionProblem> Problems);

/// <summary>A new subscription and its signing secret, which is shown this once.</summary>
[GenerateSerializer, Immutable, Alias("CreatedSubscription")]
public sealed record CreatedSubscription(
    [property: Id(0)] SubscriptionView Subscription,
    [property: Id(1)] string Secret);

[GenerateSerializer, Immutable, Alias("DeliveryAttempt")]
public sealed record DeliveryAttempt(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] int? Status,
    [property: Id(2)] string? Error,
    [property: Id(3)] int DurationMs);

/// <summary>One event sent to one subscription; <see cref="Id"/> is the X-Evaluation-Delivery header and the body's id.</summary>
[GenerateSerializer, Immutable, Alias("DeliveryView")]
public sealed record DeliveryView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string EventId,
    [property: Id(2)] string Type,
    [property: Id(3)] DateTimeOffset OccurredAt,
    [property: Id(4)] DeliveryState State,
    [property: Id(5)] int Attempts,
    [property: Id(6)] DateTimeOffset NextAttemptAt,
    [property: Id(7)] DateTimeOffset? DeliveredAt,
    [property: Id(8)] IReadOnlyList<DeliveryAttempt> AttemptLog);

[GenerateSerializer, Immutable, Alias("DeliveryPage")]
public sealed record DeliveryPage(
    [property: Id(0)] IReadOnlyList<DeliveryView> Items,
    [property: Id(1)] int Total,
    [property: Id(2)] int Page,
    [property: Id(3)] int PageSize);

/// <summary>Notifications need PostgreSQL (the outbox commits with the state change); in-memory mode has none.</summary>
[GenerateSerializer, Alias("NotificationsUnavailableException")]
public sealed class NotificationsUnavailableException : Exception
{
    public NotificationsUnavailableException()
        : base("Notifications need PostgreSQL mode; this system runs in memory.")
    {
    }

    public NotificationsUnavailableException(string message)
        : base(message)
    {
    }

    public NotificationsUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Subscriptions and their delivery logs. Key: 0 (a stateless worker on every silo).</summary>
[Alias("ISubscriptionGrain")]
public interface ISubscriptionGrain : IGrainWithIntegerKey
{
    /// <summary>Checks and creates a subscription; <paramref name="allowHttp"/> is the API host's policy (development only).</summary>
    [Alias("Create")]
    Task<SubscriptionOutcome> Create(NewSubscription request, Actor actor, bool allowHttp);

    /// <summary>The subscriptions of one city (or all when null).</summary>
    [Alias("List")]
    Task<IReadOnlyList<SubscriptionView>> List(string? cityCode);

    [Alias("Get")]
    Task<SubscriptionView?> Get(string id);

    /// <summary>False when there was no such subscription.</summary>
    [Alias("Delete")]
    Task<bool> Delete(string id);

    /// <summary>The deliveries of one subscription, newest first, each with its attempts.</summary>
    [Alias("Deliveries")]
    Task<DeliveryPage> Deliveries(string subscriptionId, int page, int pageSize);

    /// <summary>Sends a delivery again (pending, due now, a fresh dead-letter deadline); false when it is not the subscription's.</summary>
    [Alias("Redeliver")]
    Task<bool> Redeliver(string subscriptionId, Guid deliveryId);
}
