using System.Diagnostics;
using Evaluation.Contracts.Cases;
using Evaluation.Contracts.Detection;
using Evaluation.Contracts.Grains;
using Evaluation.Contracts.Measures;
using Evaluation.Detection;
using Evaluation.Domain.Cases;
using Evaluation.Grains.Areas;
using Evaluation.Grains.Cases;
using Evaluation.Grains.EventLog;
using Evaluation.Grains.Registry;
using Evaluation.Grains.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Evaluation.Grains.Detection;

/// <summary>
/// Runs detection over every institution on a timer and on demand, keeps the alerts, and wakes live listeners.
/// It reads institutions' feature inputs from their cities (which compute them from the aggregates they already hold)
/// rather than waking thousands of institution grains or re-reading the log, and only the few institutions whose city
/// lags the log's acknowledged positions from themselves, so a run sees a consistent cut. Each run also sweeps overdue follow-ups, reads overdue audits and
/// compares the cities' 差评 handling, so those alerts share the list, the stream and the hysteresis. Rules live in
/// <see cref="Detector"/>, <see cref="CaseSignals"/>, <see cref="HandlingComparison"/> and <see cref="AlertBook"/>.
/// </summary>
public sealed class DetectionGrain(
    [PersistentState("alerts")] IPersistentState<AlertBookState> alerts,
    RegistryCache registry,
    IEventLog log,
    IModelStore models,
    DetectionTiming timing,
    CaseSettings cases,
    TimeProvider time,
    [FromKeyedServices(CaseClock.Key)] TimeProvider caseTime,
    ILogger<DetectionGrain> logger) : Grain, IDetectionGrain, IRemindable
{
    public const int MaxPageSize = 100;
    private const int AuditPageSize = 500;
    private const int BehindAtOnce = 256;
    private const string KeepAliveReminder = "detection";
    private AlertBook book = null!;
    private SatisfactionModel? model;
    private TaskCompletionSource raisedSignal = NewSignal();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        book = new AlertBook(alerts.State, timing.Settings);
        try
        {
            model = await models.LoadLatestAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A missing model only means the next run trains one; detection must not stop for it.
            logger.LogWarning(ex, "Could not load the latest detection model; the next run trains a new one");
        }

        this.RegisterGrainTimer(_ => RunAsync(false), new GrainTimerCreationOptions(timing.Period, timing.Period) { KeepAlive = true });

        // Reminders bring the grain back on another silo if its silo dies; the timer does the frequent work.
        await this.RegisterOrUpdateReminder(KeepAliveReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
    }

    public Task ReceiveReminder(string reminderName, Orleans.Runtime.TickStatus status) => Task.CompletedTask;

    public Task<DetectionRunResult> RunNow(bool retrain) => RunAsync(retrain);

    public Task<AlertPage> GetAlerts(AlertQuery query) => Task.FromResult(book.Query(query, MaxPageSize));

    public async Task<AlertFeedPage> WaitForAlerts(long afterSequence, TimeSpan maxWait)
    {
        if (afterSequence < 0)
        {
            return new AlertFeedPage([], alerts.State.LastId);
        }

        if (alerts.State.LastId <= afterSequence)
        {
            await Task.WhenAny(raisedSignal.Task, Task.Delay(maxWait, time));
        }

        var raised = book.RaisedAfter(afterSequence);
        return new AlertFeedPage(raised, raised.Count > 0 ? raised[^1].Id : afterSequence);
    }

    public Task<TriageOutcome> Dismiss(long alertId, string? reason, string actor) =>
        SaveIfTriaged(book.Dismiss(alertId, reason, actor, time.GetUtcNow()));

    public Task<TriageOutcome> ClaimForAudit(long alertId, string institutionId, string caseId, string reason, string actor) =>
        SaveIfTriaged(book.OpenAudit(alertId, institutionId, caseId, reason, actor, time.GetUtcNow()));

    public async Task ReleaseClaim(long alertId, string caseId)
    {
        if (book.ReleaseAudit(alertId, caseId))
        {
            await alerts.WriteStateAsync();
        }
    }

    private async Task<TriageOutcome> SaveIfTriaged(TriageOutcome outcome)
    {
        if (outcome.Alert is not null)
        {
            await alerts.WriteStateAsync();
        }

        return outcome;
    }

    private async Task<DetectionRunResult> RunAsync(bool retrain)
    {
        var stages = Stopwatch.StartNew();
        var current = await registry.GetAsync();
        var today = AreaClock.Today(time);
        var inputs = await ReadCutAsync(current.Institutions.Select(i => i.CityCode).Distinct(), today);
        var read = stages.Elapsed;
        var now = time.GetUtcNow();
        var rows = DetectionPass.Features(current, inputs, today);
        var features = stages.Elapsed;
        var (caseSignals, judged) = await CaseSignalsAsync(HandlingComparison.ByCity(rows));
        var cases = stages.Elapsed;
        if (retrain || model is null || now - model.TrainedAt >= timing.RetrainPeriod)
        {
            await RetrainAsync(rows, now);
        }

        var trained = stages.Elapsed;
        var (outcome, changes) = DetectionPass.Run(
            new Detector(timing.Settings, current.ServiceItems), book, rows, model, now, caseSignals, judged,
            signal => TopicLines.Annotate(signal, inputs));
        var scored = stages.Elapsed;
        await alerts.WriteStateAsync();
        // Where a pass's time goes, for the capacity plan's detection figures (issue 16): one line a pass.
        logger.LogInformation(
            "Detection pass over {Rows} institutions: read the cut {Read} ms, features {Features} ms, case signals {Cases} ms, training {Training} ms, scoring {Scoring} ms, saving alerts {Saving} ms",
            rows.Count, read.TotalMilliseconds, (features - read).TotalMilliseconds, (cases - features).TotalMilliseconds,
            (trained - cases).TotalMilliseconds, (scored - trained).TotalMilliseconds, (stages.Elapsed - scored).TotalMilliseconds);
        if (changes.Raised.Count > 0)
        {
            CaseMetrics.AlertsRaised.Add(changes.Raised.Count);
            var signal = raisedSignal;
            raisedSignal = NewSignal();
            signal.TrySetResult();
            logger.LogInformation("Detection raised {Raised} alerts and resolved {Resolved}", changes.Raised.Count, changes.Resolved.Count);
        }

        var stamp = ModelStamp.Of(model);
        return new DetectionRunResult(outcome.Scored, changes.Raised.Count, changes.Resolved.Count, book.Open.Count(), stamp.Version, stamp.TrainedAt, time.GetUtcNow());
    }

    /// <summary>
    /// Every institution's feature inputs as of the log's acknowledged positions at the start of the run
    /// (<see cref="FeatureCut"/>): from its city, computed from the report it holds, where that report is at the cut;
    /// from the institution where the city lags. Without the log's positions (the log unavailable) the cities'
    /// reports are used as they stand. Inputs, not aggregates: kilobytes per institution instead of up to megabytes.
    /// </summary>
    private async Task<Dictionary<string, FeatureInputs>> ReadCutAsync(IEnumerable<string> cities, DateOnly today)
    {
        IReadOnlyDictionary<string, long> acknowledged;
        try
        {
            acknowledged = await log.LastPositionsAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Detection could not read the log's positions; this run reads the cities' reports as they stand");
            acknowledged = new Dictionary<string, long>();
        }

        var held = new Dictionary<string, FeatureInputs>();
        foreach (var report in await Task.WhenAll(cities.Select(c => GrainFactory.GetGrain<ICityGrain>(c).GetFeatureInputs(today))))
        {
            foreach (var (id, inputs) in report)
            {
                held[id] = inputs;
            }
        }

        // Many lag only after a burst of ingest or a city's restart; a bounded number at a time keeps such a run
        // from flooding the log with thousands of reads at once.
        var behind = FeatureCut.Behind(held, acknowledged);
        logger.LogDebug("Detection reads {Behind} of {Held} institutions from themselves: their city lags the log", behind.Count, held.Count);
        foreach (var batch in behind.Chunk(BehindAtOnce))
        {
            foreach (var (id, inputs) in await Task.WhenAll(batch.Select(async b =>
                (b.Key, await GrainFactory.GetGrain<IInstitutionGrain>(b.Key).GetFeatureInputsAt(b.Value, today)))))
            {
                held[id] = inputs;
            }
        }

        return held;
    }

    /// <summary>
    /// The signals of cases and handling, and the reasons judged: a source that cannot be read this run (the
    /// follow-up store or the audit index unavailable) leaves its open alerts as they are until the next run.
    /// </summary>
    private async Task<(List<Signal> Signals, HashSet<AlertReason> Judged)> CaseSignalsAsync(IReadOnlyDictionary<string, WindowCounts> handling)
    {
        var judged = Enum.GetValues<AlertReason>().ToHashSet();
        var signals = new List<Signal>(new HandlingComparison(timing.Settings).Compare(handling));
        try
        {
            var overdue = await GrainFactory.GetGrain<IFollowUpSupervisionGrain>(0).SweepOverdue(cases.FollowUpOverdueGrace);
            signals.AddRange(CaseSignals.FollowUpOverdue(overdue, cases.FollowUpOverdueGrace, caseTime.GetUtcNow()));
            CaseMetrics.OverdueFollowUps.Record(overdue.Sum(o => (long)o.Count));
        }
        catch (Exception ex)
        {
            judged.Remove(AlertReason.FollowUpOverdue);
            logger.LogWarning(ex, "Detection could not sweep overdue follow-ups; their alerts stay as they are until the next run");
        }

        try
        {
            var audits = new List<AuditSummary>();
            for (var page = 1; ; page++)
            {
                var found = await GrainFactory.GetGrain<IAuditIndexGrain>(AuditIndex.Key).Query(new AuditQuery(Overdue: true, Page: page, PageSize: AuditPageSize));
                audits.AddRange(found.Items);
                if (found.Items.Count < AuditPageSize || audits.Count >= found.Total)
                {
                    break;
                }
            }

            signals.AddRange(CaseSignals.AuditOverdue(audits, caseTime.GetUtcNow()));
            CaseMetrics.OverdueAudits.Record(audits.Count);
        }
        catch (Exception ex)
        {
            judged.Remove(AlertReason.AuditOverdue);
            logger.LogWarning(ex, "Detection could not read overdue audits; their alerts stay as they are until the next run");
        }

        return (signals, judged);
    }

    private async Task RetrainAsync(IReadOnlyList<InstitutionFeatures> rows, DateTimeOffset now)
    {
        var trained = SatisfactionModel.Train(rows, timing.Settings, now);
        if (trained is null)
        {
            // Too few institutions with enough ratings yet: peer rules work alone until there are.
            return;
        }

        await models.SaveAsync(trained, CancellationToken.None);
        model = trained;
        logger.LogInformation("Trained detection model {Version} on {Rows} institutions", trained.Version, trained.TrainingRows);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
