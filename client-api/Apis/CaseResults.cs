using System.Text.Json;
using Evaluation.Contracts.Detection;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Evaluation.ClientApi.Apis;

/// <summary>The answers the audit and follow-up endpoints share.</summary>
public static class CaseResults
{
    /// <summary>The kebab-case word of the contract, as callers send and read it.</summary>
    public static string Word<T>(T value)
        where T : struct, Enum => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    public static ProblemHttpResult Invalid(string field, string message) => TypedResults.Problem(
        title: "Invalid request",
        detail: $"{field}: {message}",
        statusCode: StatusCodes.Status400BadRequest,
        extensions: new Dictionary<string, object?> { ["errors"] = new[] { new { field, message } } });

    /// <summary>An alert that is not there is 404; every other refused triage is a bad request naming its field.</summary>
    public static ProblemHttpResult TriageRefused(TriageRefusal refusal) => refusal.Problem == TriageProblem.NotFound
        ? TypedResults.Problem(
            title: "Not found",
            detail: $"{refusal.Field}: {refusal.Message}",
            statusCode: StatusCodes.Status404NotFound,
            extensions: new Dictionary<string, object?> { ["errors"] = new[] { new { field = refusal.Field, message = refusal.Message } } })
        : Invalid(refusal.Field, refusal.Message);

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(title: "Not found", detail: detail, statusCode: StatusCodes.Status404NotFound);

    /// <summary>403 rather than 404: the officer knows the case exists (ids are shown in province-wide reports).</summary>
    public static ProblemHttpResult NotYourCity(string city) => TypedResults.Problem(
        title: "Not your city",
        detail: $"This belongs to city {city}; a city officer sees and acts on their own city only.",
        statusCode: StatusCodes.Status403Forbidden);

    /// <summary>A step the case's state machine refused: the request was understood but does not fit the case now.</summary>
    public static ProblemHttpResult Refused(string detail) =>
        TypedResults.Problem(title: "Step refused", detail: detail, statusCode: StatusCodes.Status409Conflict);

    public static bool TryParseWord<T>(string text, out T value)
        where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (Word(candidate) == text)
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

    public static string Words<T>()
        where T : struct, Enum => string.Join(", ", Enum.GetValues<T>().Select(v => Word(v)));
}
