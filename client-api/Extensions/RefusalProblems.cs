using Evaluation.ClientApi.Application;
using Microsoft.AspNetCore.Diagnostics;

namespace Evaluation.ClientApi.Extensions;

/// <summary>
/// Answers every <see cref="Refusal"/> as problem details, in this one place: its status and title, the detail, and
/// <c>errors: [{ field, message }]</c> naming each field and its rule. A refusal is an answer, not a fault: not logged.
/// </summary>
public sealed class RefusalProblems(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not Refusal refusal)
        {
            return false;
        }

        httpContext.Response.StatusCode = refusal.Status;
        if (refusal.RetryAfter is { } retryAfter)
        {
            httpContext.Response.Headers.RetryAfter = retryAfter;
        }

        var context = new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = { Status = refusal.Status, Title = refusal.Title, Detail = refusal.Message },
        };
        if (refusal.Errors.Count > 0)
        {
            context.ProblemDetails.Extensions["errors"] = refusal.Errors;
        }

        return await problems.TryWriteAsync(context);
    }
}
