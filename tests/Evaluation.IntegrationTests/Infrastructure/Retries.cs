using Evaluation.Contracts.Cases;

namespace Evaluation.IntegrationTests.Infrastructure;

public static class Retries
{
    /// <summary>A caller whose call failed sends the same call again; the log's keys make that safe. A refused step is an answer.</summary>
    public static async Task<T> WithRetryAsync<T>(Func<Task<T>> send)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await send();
            }
            catch (Exception ex) when (attempt < 10 && ex is not AuditRefusedException)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }
    }
}
