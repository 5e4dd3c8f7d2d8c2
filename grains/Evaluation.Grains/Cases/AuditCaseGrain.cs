using Evaluation.Contracts.Cases;
using Evaluation.Contracts.Detection;
using Evaluation.Domain.Cases;
using Evaluation.Grains.Areas;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Evaluation.Grains.Cases;

[GenerateSerializer, Alias("AuditCaseState")]
public sealed class AuditCaseState
{
    [Id(0)]
    public AuditCase? Case { get; set; }

    /// <summary>How many history lines the index has seen; lets a reminder repair an index update that failed.</summary>
    [Id(1)]
    public int IndexedLines { get; set; }
}

/// <summary>
/// One audit: applies <see cref="AuditRules"/>, stores the case with its history, keeps the index current,
/// and holds a reminder while a deadline or a watch is running, so escalation survives any restart.
/// </summary>
public sealed class AuditCaseGrain(
    [PersistentState("audit", GrainStorage.Checkpoints)] IPersistentState<AuditCaseState> state,
    AuditRules rules,
    CaseSettings settings,
    [FromKeyedServices(CaseClock.Key)] TimeProvider time,
    ILogger<AuditCaseGrain> logger) : Grain, IAuditCaseGrain, IRemindable
{
    private const string CheckReminder = "audit-check";

    public async Task<AuditCase> Open(OpenAudit command)
    {
        if (state.State.Case is not null)
        {
            throw new AuditRefusedException($"a case with id '{this.GetPrimaryKeyString()}' exists already");
        }

        await SaveAsync(rules.Open(this.GetPrimaryKeyString(), command, time.GetUtcNow()));
        return state.State.Case!;
    }

    public async Task<AuditCase> Act(AuditCommand command)
    {
        var current = state.State.Case ?? throw new AuditRefusedException($"no case has the id '{this.GetPrimaryKeyString()}'");
        await SaveAsync(rules.Apply(current, command, time.GetUtcNow()));
        return state.State.Case!;
    }

    public Task<AuditCase?> Get() => Task.FromResult(state.State.Case);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (state.State.Case is not { } current)
        {
            await StopChecksAsync();
            return;
        }

        var now = time.GetUtcNow();
        var checkedCase = await RelapseAsync(rules.Check(current, now), now);
        if (!ReferenceEquals(checkedCase, current) || state.State.IndexedLines != current.History.Count)
        {
            await SaveAsync(checkedCase);
        }
    }

    /// <summary>
    /// During the watch, an open alert that detection raised on the institution after verification reopens the
    /// case. Detection being unavailable only delays this to the next check.
    /// </summary>
    private async Task<AuditCase> RelapseAsync(AuditCase current, DateTimeOffset now)
    {
        if (current.State != AuditState.Verified || current.WatchUntil is null)
        {
            return current;
        }

        AlertPage alerts;
        try
        {
            alerts = await GrainFactory.GetGrain<IDetectionGrain>(0).GetAlerts(new AlertQuery(AlertState.Open, current.CityCode, PageSize: 100));
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Audit {Id}: could not read the alerts to look for a relapse", current.Id);
            return current;
        }

        // Only the node's performance relapses; overdue follow-ups or audits are case work, not a relapse.
        return alerts.Items.FirstOrDefault(a => a.Reason is AlertReason.LowSatisfaction or AlertReason.SlowService or AlertReason.SuddenDrop
                    or AlertReason.Decline or AlertReason.ServiceItem or AlertReason.Channel or AlertReason.SlowVsPeers or AlertReason.BacklogGrowth
                && AuditRules.IsRelapse(current, a.InstitutionId, a.RaisedAt, now)) is { } alert
            ? rules.Apply(current, new AuditCommand(AuditStep.Relapse, Actor.System,
                $"relapse: alert {alert.Id} ({CaseChecks.Name(alert.Reason)}, {CaseChecks.Name(alert.Severity)}) raised {alert.RaisedAt:yyyy-MM-dd HH:mm zzz}", []), now)
            : current;
    }

    private async Task SaveAsync(AuditCase next)
    {
        state.State.Case = next;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IAuditIndexGrain>(AuditIndex.Key).Upsert(next.Summary());
        state.State.IndexedLines = next.History.Count;
        await state.WriteStateAsync();

        if (AuditRules.NeedsChecks(next))
        {
            await this.RegisterOrUpdateReminder(CheckReminder, settings.CheckPeriod, settings.CheckPeriod);
        }
        else
        {
            await StopChecksAsync();
        }
    }

    private async Task StopChecksAsync()
    {
        if (await this.GetReminder(CheckReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }
}
