namespace Evaluation.Simulator;

/// <summary>
/// Paces the traffic model to the requested rate, gathers its items into batches and keeps a few batches in
/// flight, until the rating count or the duration is reached. Cancelling stops generation only: whatever was
/// generated is still sent, so the totals describe everything that left the simulator.
/// All traffic decisions stay in <see cref="TrafficModel"/>.
/// </summary>
internal sealed class TrafficPump(TrafficModel model, IngestClient client, SimulatorOptions options, Progress progress)
{
    private const int MaxInFlight = 4;
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan FlushEvery = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ReportEvery = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _slots = new(MaxInFlight);
    private readonly List<Task> _inFlight = [];
    private List<EvaluationItem> _evaluations = [];
    private readonly HashSet<string> _pendingRatingIds = [];
    private List<ServiceRecordItem> _records = [];

    public async Task RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var started = DateTime.UtcNow;
        var lastFlush = started;
        var lastReport = started;
        var ratings = 0L;
        using var timer = new PeriodicTimer(Tick);
        while (ratings < options.Count && !cancellationToken.IsCancellationRequested)
        {
            var now = DateTime.UtcNow;
            var elapsed = now - started;
            if (elapsed >= options.Duration)
            {
                break;
            }

            var due = Math.Min(options.Count, (long)(options.Rate * elapsed.TotalSeconds) + 1);
            while (ratings < due)
            {
                var step = model.Next();
                _records.AddRange(step.Records);
                if (step.Rating is not null)
                {
                    Add(step.Rating);
                    ratings++;
                }

                // A re-send of an item still waiting in this batch would only test the batch, not idempotency.
                if (step.Resend is not null && !_pendingRatingIds.Contains(step.Resend.Id))
                {
                    Add(step.Resend);
                    progress.Resends++;
                }

                await DispatchFullBatchesAsync();
            }

            if (now - lastFlush >= FlushEvery)
            {
                await FlushAsync();
                lastFlush = now;
            }

            if (now - lastReport >= ReportEvery)
            {
                await output.WriteLineAsync(progress.Report(final: false));
                lastReport = now;
            }

            try
            {
                await timer.WaitForNextTickAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await FlushAsync();
        await Task.WhenAll(_inFlight);
    }

    private void Add(EvaluationItem rating)
    {
        _evaluations.Add(rating);
        _pendingRatingIds.Add(rating.Id);
    }

    private async Task DispatchFullBatchesAsync()
    {
        if (_records.Count >= options.BatchSize)
        {
            await DispatchRecordsAsync();
        }

        if (_evaluations.Count >= options.BatchSize)
        {
            await DispatchEvaluationsAsync();
        }
    }

    private async Task FlushAsync()
    {
        // Records go first so that a rating's service is usually known when the rating arrives.
        while (_records.Count > 0)
        {
            await DispatchRecordsAsync();
        }

        while (_evaluations.Count > 0)
        {
            await DispatchEvaluationsAsync();
        }
    }

    private async Task DispatchRecordsAsync()
    {
        var batch = Take(ref _records);
        await StartAsync(() => client.SendAsync(batch, progress.ServiceRecords, CancellationToken.None));
    }

    private async Task DispatchEvaluationsAsync()
    {
        var batch = Take(ref _evaluations);
        _pendingRatingIds.Clear();
        _pendingRatingIds.UnionWith(_evaluations.Select(e => e.Id));
        await StartAsync(() => client.SendAsync(batch, progress.Evaluations, CancellationToken.None));
    }

    private List<T> Take<T>(ref List<T> pending)
    {
        var count = Math.Min(pending.Count, options.BatchSize);
        var batch = pending[..count];
        pending = pending[count..];
        return batch;
    }

    private async Task StartAsync(Func<Task> send)
    {
        // Waiting for a free slot is the back-pressure: a slow system slows the simulator instead of piling up requests.
        await _slots.WaitAsync();
        _inFlight.RemoveAll(t => t.IsCompleted);
        _inFlight.Add(Task.Run(async () =>
        {
            try
            {
                await send();
            }
            finally
            {
                _slots.Release();
            }
        }, CancellationToken.None));
    }
}
