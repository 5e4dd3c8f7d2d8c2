using System.Globalization;
using Evaluation.Contracts.Ingestion;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;
using Orleans.Runtime;

namespace Evaluation.ClientApi.Extensions;

/// <summary>
/// Faults that pass when the cluster settles (a silo lost or restarting, a call that timed out, the database
/// unavailable) are answered 503 with a Retry-After, jittered so that callers told at the same moment do not all
/// come back at the same moment; every other fault stays a 500. Nothing was acknowledged, so a retry is safe.
/// </summary>
public sealed class TransientFaults(IProblemDetailsService problems, ILogger<TransientFaults> logger) : IExceptionHandler
{
    public const int MinRetryAfterSeconds = 2;
    public const int MaxRetryAfterSeconds = 8;

    public static bool IsTransient(Exception exception) => exception switch
    {
        // A silo gone or going, no gateway reachable, a connection lost, a call timed out: at request time every
        // Orleans runtime fault but a configuration error is the cluster's state, which passes.
        OrleansConfigurationException => false,
        TimeoutException or OrleansException => true,
        System.Net.Sockets.SocketException => true,
        LogUnavailableException => true,
        // An Npgsql fault that is not the server's answer is a server not reached, or, with a multi-host connection
        // string during a failover, no server that is primary yet: both pass.
        PostgresException postgres => postgres.IsTransient,
        NpgsqlException => true,
        _ => exception.InnerException is { } inner && IsTransient(inner),
    };

    /// <summary>A Retry-After in whole seconds, spread over <see cref="MinRetryAfterSeconds"/>–<see cref="MaxRetryAfterSeconds"/>.</summary>
    public static string RetryAfter() =>
        Random.Shared.Next(MinRetryAfterSeconds, MaxRetryAfterSeconds + 1).ToString(CultureInfo.InvariantCulture);

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        // A grain call cancelled while its silo shut down, the caller still waiting: the cluster's fault too.
        var cancelledByCluster = exception is OperationCanceledException && !httpContext.RequestAborted.IsCancellationRequested;
        if (!IsTransient(exception) && !cancelledByCluster)
        {
            return false;
        }

        logger.LogWarning(exception, "Answered {Path} with 503: a transient fault of the cluster or the database", httpContext.Request.Path);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = RetryAfter();
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Title = "Temporarily unavailable",
                Detail = "The service is recovering from a fault of the cluster or the database. Nothing of this request was stored; send it again after Retry-After seconds.",
                Status = StatusCodes.Status503ServiceUnavailable,
            },
        });
    }
}
