using Evaluation.Grains.Areas;
using Evaluation.Grains.EventLog;
using Microsoft.Extensions.Logging;

namespace Evaluation.Grains.Hosting;

/// <summary>
/// Keeps the months ahead of <c>event_log</c> created: once as the silo starts, before it takes
/// traffic, then every <see cref="Period"/>. Every silo runs it; the SQL function makes the extra
/// calls no-ops. A failed round is logged and retried by the next one: the months kept ahead leave
/// ample time, and an append into a missing month would fail loudly rather than be lost.
/// </summary>
internal sealed partial class EventLogPartitionMaintenance(
    EventLogPartitions partitions, TimeProvider time, ILogger<EventLogPartitionMaintenance> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public static readonly TimeSpan Period = TimeSpan.FromDays(1);

    private readonly CancellationTokenSource stopping = new();
    private Task rounds = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(EventLogPartitionMaintenance), ServiceLifecycleStage.ApplicationServices, StartAsync, StopAsync);

    private async Task StartAsync(CancellationToken ct)
    {
        await RoundAsync(ct);
        rounds = RunAsync(stopping.Token);
    }

    private async Task StopAsync(CancellationToken ct)
    {
        await stopping.CancelAsync();
        await rounds;
    }

    private async Task RunAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(Period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                await RoundAsync(ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The silo is stopping.
        }
    }

    private async Task RoundAsync(CancellationToken ct)
    {
        try
        {
            var created = await partitions.EnsureAsync(AreaClock.Today(time), ct);
            if (created > 0)
            {
                LogCreated(logger, created);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created {Count} monthly partitions of event_log")]
    private static partial void LogCreated(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Creating the coming monthly partitions of event_log failed; the next round retries")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
