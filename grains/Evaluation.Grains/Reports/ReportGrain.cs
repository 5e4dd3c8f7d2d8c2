using Evaluation.Contracts.Cases;
using Evaluation.Contracts.Grains;
using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;
using Evaluation.Contracts.Reports;
using Evaluation.Domain.Measures;
using Evaluation.Domain.Registry;
using Evaluation.Domain.Reports;
using Evaluation.Grains.Areas;
using Evaluation.Grains.Registry;

namespace Evaluation.Grains.Reports;

/// <summary>
/// Computes a month's reports from the log, the audit histories and the registry. The month's part of the log is read
/// once per activation and kept: past the cut it can no longer change, and the province's report and every city's
/// read the same events (about 6 s per million on the development machine).
/// </summary>
public sealed class ReportGrain(RegistryCache registry, IMonthLogReader logReader, TimeProvider time) : Grain, IReportGrain
{
    private (InstitutionRegistry Registry, MonthLog Log)? read;

    public async Task<MonthlyReport> GetMonthly(string scope)
    {
        var month = this.GetPrimaryKeyString();
        if (!ReportMonth.TryParse(month, out var reportMonth))
        {
            throw new ReportRefusedException($"month: '{month}' is not a month; write it as yyyy-MM, e.g. 2026-10");
        }

        if (!reportMonth.IsFinal(time.GetUtcNow()))
        {
            throw new ReportRefusedException(
                $"month: {reportMonth.Name} has not ended (and settled {ReportMonth.Settle.TotalMinutes:0} minutes) in Asia/Shanghai; its report is made once it has, so that it never changes");
        }

        var current = await registry.GetAsync();
        if (scope != current.Divisions.Province.Code && current.Divisions.Find(scope) is not { Level: DivisionLevel.City })
        {
            throw new ReportRefusedException($"city: '{scope}' is not a prefecture city of the province");
        }

        // Read again only when the registry changed (which institutions the events belong to).
        if (read is not { } kept || kept.Registry != current)
        {
            read = kept = (current, await logReader.ReadAsync(reportMonth, current));
        }

        var log = kept.Log;
        var priors = PeerPriors.Build(log.LevelsByCityAndKind(current));
        var audits = await AuditsAsync(reportMonth);
        var targets = await TargetsAsync(current, reportMonth);
        return new MonthlyReportBuilder(current, MeasureSettings.Default).Build(reportMonth, scope, log, priors, audits, targets);
    }

    /// <summary>Every case opened before the month's end, with its history (a few hundred a year).</summary>
    private async Task<IReadOnlyList<AuditCase>> AuditsAsync(ReportMonth month)
    {
        var index = await GrainFactory.GetGrain<IAuditIndexGrain>(AuditIndex.Key).Query(new AuditQuery(PageSize: int.MaxValue));
        var cases = await Task.WhenAll(index.Items
            .Where(a => a.OpenedAt < month.Cut)
            .Select(a => GrainFactory.GetGrain<IAuditCaseGrain>(a.Id).Get()));
        return [.. cases.OfType<AuditCase>()];
    }

    /// <summary>
    /// The plan targets on the month's last day, from the registry's institutions and opening dates; the province's
    /// hand-entered count of thematic databases is taken as it stands.
    /// </summary>
    private async Task<IReadOnlyList<PlanTargetView>> TargetsAsync(InstitutionRegistry current, ReportMonth month)
    {
        var view = await GrainFactory.GetGrain<IProvinceGrain>(ProvinceGrain.Key).GetView();
        var thematic = view.PlanTargets.FirstOrDefault(t => t.Code == PlanTargets.ThematicDatabasesCode)?.Current ?? 0;
        return PlanTargets.Evaluate(current.Divisions.All, current.Institutions, current.PilotCountyCodes, (int)thematic, month.LastDay);
    }
}
