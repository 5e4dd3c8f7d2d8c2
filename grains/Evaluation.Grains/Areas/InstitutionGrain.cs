using System.Data.Common;
using Evaluation.Contracts.Detection;
using Evaluation.Contracts.Grains;
using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Measures;
using Evaluation.Detection;
using Evaluation.Domain.Measures;
using Evaluation.Grains.EventLog;
using Evaluation.Grains.Registry;
using Microsoft.Extensions.Logging;

namespace Evaluation.Grains.Areas;

/// <summary>The checkpoint of an institution: its aggregate and the log position it reflects.</summary>
[GenerateSerializer, Alias("InstitutionCheckpoint")]
public sealed class InstitutionCheckpoint
{
    [Id(0)] public long Position { get; set; }

    [Id(1)] public AggregateData Aggregate { get; set; } = new();
}

/// <summary>
/// Applies an institution's events exactly once, in log order. Positions are gap-free per institution,
/// so the grain can tell a repeat (ignore), the next event (apply) and a gap (wait briefly for the
/// delivery that fills it, then read the log); that is what keeps the aggregate equal to a
/// recomputation over the log after any crash.
/// </summary>
public sealed class InstitutionGrain(
    [PersistentState("institution", GrainStorage.Checkpoints)] IPersistentState<InstitutionCheckpoint> checkpoint,
    IEventLog log,
    RegistryCache registry,
    AreaTiming timing,
    TimeProvider time,
    ILogger<InstitutionGrain> logger) : Grain, IInstitutionGrain
{
    // More held-back events than this and the log is read at once rather than waiting for the gap to fill.
    private const int MaxWaiting = 10_000;

    private readonly UnreportedChanges unreported = new();
    private readonly TallySharing sharing = new();
    private readonly EventOrder order = new();
    private IGrainTimer? gapTimer;
    private bool handedOverSinceTick;
    private long loggedAtLastTick;
    private bool unsavedChanges;
    private string? reportedTo;
    private PeerPriorCache? peerPrior;
    private AreaMeasures? measures;
    private (long Position, DateOnly Today, PeerPrior? Prior) measuresKey;
    private AreaBreakdowns? breakdowns;
    private (long Position, DateOnly Today, PeerPrior? Prior) breakdownsKey;

    private string Id => this.GetPrimaryKeyString();

    private long Position => checkpoint.State.Position;

    private AggregateData Aggregate => checkpoint.State.Aggregate;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A state stored before days were folded into months, or long ago, is compacted before it is read or sent.
        unsavedChanges |= Compact();
        await CatchUpAsync(cancellationToken);

        // A replay applies every logged event, service items of all 400 days among them: compacted before anything is
        // handed out, or a city would keep (and the grain hold until its first save) four times the item tallies.
        unsavedChanges |= Compact();
        this.RegisterGrainTimer(ReportAsync, timing.ReportPeriod, timing.ReportPeriod);
        this.RegisterGrainTimer(SaveAsync, timing.CheckpointPeriod, timing.CheckpointPeriod);

        // A push lost with a dead silo would otherwise go unnoticed until the next event arrives.
        this.RegisterGrainTimer(CatchUpMissedAsync, timing.CatchUpPeriod, timing.CatchUpPeriod);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await SaveAsync(cancellationToken);
    }

    public async Task Apply(IReadOnlyList<LoggedEvent> events)
    {
        handedOverSinceTick = true;
        foreach (var e in order.Accept(events, Position))
        {
            ApplyOne(e);
        }

        if (order.Waiting > MaxWaiting)
        {
            await CatchUpAsync(CancellationToken.None);
        }
        else if (order.Waiting > 0)
        {
            // The delivery that fills the gap may have died with an ingesting silo; then the log has it.
            gapTimer ??= this.RegisterGrainTimer(FillGapAsync, timing.GapPatience, Timeout.InfiniteTimeSpan);
        }
    }

    public Task<PositionedAggregate> GetAggregate() => Task.FromResult(new PositionedAggregate(sharing.HandOut(Aggregate), Position));

    public async Task<PositionedAggregate> GetAggregateAt(long position)
    {
        await CatchUpToAsync(position);
        return new PositionedAggregate(sharing.HandOut(Aggregate), Position);
    }

    public async Task<FeatureInputs> GetFeatureInputsAt(long position, DateOnly today)
    {
        await CatchUpToAsync(position);
        return FeatureBuilder.Inputs(Aggregate, today, Position);
    }

    private async Task CatchUpToAsync(long position)
    {
        if (Position < position)
        {
            await CatchUpAsync(CancellationToken.None);
        }
    }

    public async Task<AreaMeasures> GetMeasures()
    {
        // Reads far outnumber changes; recompute only when the events, the day or the prior moved on.
        var prior = await PriorAsync();
        var key = (Position, AreaClock.Today(time), prior);
        if (measures is null || measuresKey != key)
        {
            measures = AreaClock.Compute(Aggregate, prior, time);
            measuresKey = key;
        }

        return measures;
    }

    public async Task<AreaBreakdowns> GetBreakdowns()
    {
        var prior = await PriorAsync();
        var key = (Position, AreaClock.Today(time), prior);
        if (breakdowns is null || breakdownsKey != key)
        {
            breakdowns = AreaClock.Breakdowns(Aggregate, prior, time, await registry.GetAsync());
            breakdownsKey = key;
        }

        return breakdowns;
    }

    /// <summary>The prior of the institution's peer group (kind within region); null when the registry does not know it.</summary>
    private async Task<PeerPrior?> PriorAsync()
    {
        var current = await registry.GetAsync();
        if (current.Find(Id) is not { } institution)
        {
            return null;
        }

        peerPrior ??= new PeerPriorCache(GrainFactory, timing.PeerPriorLifetime);
        return await peerPrior.GetAsync(institution.Kind, current.Divisions.Find(institution.CityCode)?.Region, time.GetUtcNow());
    }

    /// <summary>
    /// Counts the events the log has after <see cref="Position"/> apart, as they stream in, then adds them at once:
    /// counting is all applying does, so the order of the events does not matter, only that each is counted once
    /// (events alike come once with their number, and count that often), which the gap-free positions let the grain
    /// check by their number. A million events replay with no list of them held and no per-event bookkeeping of
    /// what to report.
    /// </summary>
    private async Task CatchUpAsync(long? upTo, CancellationToken cancellationToken)
    {
        var from = Position;
        var read = new AggregateData { FoldedBefore = Aggregate.FoldedBefore };
        long last, count;
        try
        {
            last = upTo ?? await log.LastPositionAsync(Id, cancellationToken);
            if (last <= from)
            {
                return;
            }

            count = await log.ReadAsync(Id, from, last, (e, times) =>
            {
                for (var i = 0L; i < times; i++)
                {
                    Aggregation.Apply(read, e);
                }
            }, cancellationToken);
        }
        catch (DbException ex)
        {
            throw new LogUnavailableException($"Institution {Id} cannot read the event log ({ex.GetType().Name}).");
        }

        if (count != last - from)
        {
            throw new InvalidOperationException($"The log of institution {Id} holds {count} events at positions {from + 1} to {last}, not {last - from}: its positions have a gap.");
        }

        // Only a read (GetAggregate) interleaves with this, so nothing else moved the position meanwhile.
        if (Aggregation.IsBlank(Aggregate))
        {
            // An activation's replay: what was read becomes the aggregate. Adding it into the empty one built every
            // tally a second time, and the replays of 10,000 institutions left gigabytes of garbage to collect.
            checkpoint.State.Aggregate = read;
        }
        else
        {
            sharing.BeforeAdd(Aggregate, read);
            Aggregation.AddInto(Aggregate, read);
        }

        unreported.Changed(read);
        checkpoint.State.Position = last;
        unsavedChanges = true;

        // Deliveries held back for a gap the log has now filled, and any after them.
        foreach (var e in order.Accept([], Position))
        {
            ApplyOne(e);
        }

        logger.LogDebug("Institution {Institution} caught up {Count} events from the log to position {Position}", Id, count, Position);
    }

    private Task CatchUpAsync(CancellationToken cancellationToken) => CatchUpAsync(null, cancellationToken);

    /// <summary>
    /// The periodic look for hand-overs that never came. While hand-overs arrive, the events committed since the last
    /// tick are most likely on their way (under ingest some batch always is), and reading them from the log only to
    /// drop the hand-over when it arrives took, in a profile of an ingest, as much of the silo as appending the batches
    /// to the log (docs/performance.md, round 4); so the tick reads up to what the log held at the previous tick. A hand-over
    /// lost among others leaves a gap the next one reveals at once; one lost when hand-overs stop is read by the next
    /// tick, which then reads everything: a lost push is found within two periods instead of one.
    /// </summary>
    private async Task CatchUpMissedAsync(CancellationToken cancellationToken)
    {
        long logged;
        try
        {
            logged = await log.LastPositionAsync(Id, cancellationToken);
        }
        catch (DbException ex)
        {
            throw new LogUnavailableException($"Institution {Id} cannot read the event log ({ex.GetType().Name}).");
        }

        var upTo = handedOverSinceTick ? Math.Min(logged, loggedAtLastTick) : logged;
        (handedOverSinceTick, loggedAtLastTick) = (false, logged);
        if (upTo > Position)
        {
            await CatchUpAsync(upTo, cancellationToken);
        }
    }

    private async Task FillGapAsync(CancellationToken cancellationToken)
    {
        gapTimer?.Dispose();
        gapTimer = null;
        if (order.Waiting > 0)
        {
            await CatchUpAsync(cancellationToken);
        }
    }

    private void ApplyOne(LoggedEvent e)
    {
        sharing.BeforeApply(Aggregate, e);
        Aggregation.Apply(Aggregate, e);
        checkpoint.State.Position = e.Position;
        unsavedChanges = true;
        unreported.Changed(e);
    }

    /// <summary>
    /// Reports what changed since the city's last acknowledged report, or the whole aggregate when the city holds
    /// none it can follow on from: copying a busy institution's whole aggregate (2.9 MB at 400 days) on every
    /// report was a tenth of a silo's CPU under ingest.
    /// </summary>
    private async Task ReportAsync(CancellationToken cancellationToken)
    {
        if (!unreported.Pending)
        {
            return;
        }

        var institution = (await registry.GetAsync()).Find(Id);
        if (institution is null)
        {
            return;
        }

        if (institution.CityCode != reportedTo)
        {
            unreported.Forget();
            reportedTo = institution.CityCode;
        }

        var city = GrainFactory.GetGrain<ICityGrain>(institution.CityCode);
        var delta = unreported.TakeDelta(Aggregate, Position, sharing);
        try
        {
            if (delta is not null && await city.ReportDelta(Id, delta))
            {
                unreported.Acknowledged(delta.ToPosition);
                return;
            }

            if (delta is not null)
            {
                unreported.NotTaken(delta);
            }

            // Handed out as of this position: events applied while the call is on its way change copies of the tallies.
            var position = Position;
            await city.Report(Id, position, sharing.HandOut(Aggregate));
            unreported.Acknowledged(position);
        }
        catch (Exception ex)
        {
            // Whether the city took the report is unknown, even when cancelled: the next one must be whole.
            if (delta is not null)
            {
                unreported.NotTaken(delta);
            }

            unreported.Failed();
            if (ex is OperationCanceledException)
            {
                throw;
            }

            logger.LogWarning(ex, "Institution {Institution} could not report to city {City}; will retry", Id, institution.CityCode);
        }
    }

    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        if (!unsavedChanges)
        {
            return;
        }

        Compact();
        await checkpoint.WriteStateAsync(cancellationToken);
        unsavedChanges = false;
    }

    private bool Compact()
    {
        var today = AreaClock.Today(time);
        sharing.BeforeFold(Aggregate, MeasureSettings.Default.FirstDailyDay(today));
        return AggregateRetention.Compact(Aggregate, today, MeasureSettings.Default, unreported);
    }
}
