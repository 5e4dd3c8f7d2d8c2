using Evaluation.Contracts.Ingestion;

namespace Evaluation.ClientApi.Application;

/// <summary>
/// The one way the API host refuses a request: thrown by an endpoint or an application service, answered as
/// problem details (RFC 9457) by <see cref="RefusalProblems"/> for the JSON API and shown with its page by the
/// consoles. <see cref="Errors"/> names each field and the rule it broke, whenever the refusal is about a field.
/// </summary>
public sealed class Refusal : Exception
{
    private Refusal(int status, string title, string detail, IReadOnlyList<FieldError> errors)
        : base(detail)
    {
        Status = status;
        Title = title;
        Errors = errors;
    }

    /// <summary>The HTTP status the refusal is answered with.</summary>
    public int Status { get; }

    public string Title { get; }

    public IReadOnlyList<FieldError> Errors { get; }

    /// <summary>Seconds after which the same request may succeed (a 503's Retry-After), when it may.</summary>
    public string? RetryAfter { get; private init; }

    /// <summary>400: one field broke one rule.</summary>
    public static Refusal Invalid(string field, string rule, string title = "Invalid request") =>
        new(StatusCodes.Status400BadRequest, title, $"{field}: {rule}", [new FieldError(field, rule)]);

    /// <summary>400: every field and the rule it broke, all at once.</summary>
    public static Refusal Invalid(string title, IReadOnlyList<FieldError> errors, string? detail = null) =>
        new(StatusCodes.Status400BadRequest, title, detail ?? string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")), errors);

    /// <summary>400 about the request as a whole (its body is not JSON, not a batch), which no field names.</summary>
    public static Refusal Malformed(string title, string detail) => new(StatusCodes.Status400BadRequest, title, detail, []);

    /// <summary>404: nothing is known under the id or code the caller named.</summary>
    public static Refusal NotFound(string detail, string title = "Not found") => new(StatusCodes.Status404NotFound, title, detail, []);

    /// <summary>404 naming the field that holds the unknown id.</summary>
    public static Refusal Unknown(string field, string message) =>
        new(StatusCodes.Status404NotFound, "Not found", $"{field}: {message}", [new FieldError(field, message)]);

    /// <summary>403 rather than 404: the officer knows the case exists (ids are shown in province-wide reports).</summary>
    public static Refusal NotYourCity(string city) => new(
        StatusCodes.Status403Forbidden,
        "Not your city",
        $"This belongs to city {city}; a city officer sees and acts on their own city only.",
        []);

    public static Refusal Forbidden(string title, string detail) => new(StatusCodes.Status403Forbidden, title, detail, []);

    /// <summary>
    /// 409: a step the case's state machine refused: the request was understood but does not fit the case now.
    /// The domain words its refusals "field: rule" where a field is to blame; that field is named.
    /// </summary>
    public static Refusal Conflict(string detail, string title = "Step refused") =>
        new(StatusCodes.Status409Conflict, title, detail, FieldOf(detail));

    public static Refusal TooLarge(string title, string detail) => new(StatusCodes.Status413PayloadTooLarge, title, detail, []);

    /// <summary>501: what this deployment cannot do at all (e.g. reports of a system run in memory).</summary>
    public static Refusal NotImplemented(string title, string detail) => new(StatusCodes.Status501NotImplemented, title, detail, []);

    /// <summary>503 with a Retry-After: a part the request needs is away for now; nothing of it was stored.</summary>
    public static Refusal Unavailable(string title, string detail, string? retryAfter = null) =>
        new(StatusCodes.Status503ServiceUnavailable, title, detail, []) { RetryAfter = retryAfter };

    /// <summary>The field a domain message of the form "field: rule" names, as an error; none for any other message.</summary>
    public static IReadOnlyList<FieldError> FieldOf(string message)
    {
        var colon = message.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0 && message[..colon].All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '[' or ']')
            ? [new FieldError(message[..colon], message[(colon + 2)..])]
            : [];
    }
}
