using System.Text.Json;
using System.Text.Json.Serialization;

namespace Evaluation.Grains.Notifications;

/// <summary>
/// One event for the outbox. <see cref="Id"/> is derived from the state change (e.g. <c>audit-aud-…-3</c>), so writing
/// it twice writes it once. <see cref="Immediate"/> events are also mailed at once to e-mail subscribers (escalations
/// and high-severity alerts); every other event reaches them in the daily digest.
/// </summary>
public sealed record NotificationEvent(string Id, string Type, string CityCode, DateTimeOffset OccurredAt, bool Immediate, string Data)
{
    /// <summary>The API's JSON conventions (camelCase, enums as kebab-case words), so event data reads like the API.</summary>
    public static JsonSerializerOptions Json { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DictionaryKeyPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public static string Serialize<T>(T data) => JsonSerializer.Serialize(data, Json);
}

/// <summary>
/// The events a state change causes, found by comparing the state as committed before with the state about to be
/// committed. <see cref="NotifyingGrainStorage"/> asks it inside the transaction that writes the state.
/// </summary>
public interface INotificationSource<in T>
{
    IReadOnlyList<NotificationEvent> Changes(T? before, T after);
}
