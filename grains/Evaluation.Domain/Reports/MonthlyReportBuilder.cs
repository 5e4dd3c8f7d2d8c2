using Evaluation.Contracts.Cases;
using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;
using Evaluation.Contracts.Reports;
using Evaluation.Domain.Measures;
using Evaluation.Domain.Registry;

namespace Evaluation.Domain.Reports;

/// <summary>
/// Puts a monthly report together from the month's log, its peer priors and the audit histories, with the measures'
/// one definition (<see cref="MeasureCalculator.Period"/>) and the rankings' (<see cref="Rankings.Rank"/>). A month
/// is judged like the 30-day window: the same minimum sample before a score is ranked.
/// </summary>
public sealed class MonthlyReportBuilder(InstitutionRegistry registry, MeasureSettings settings)
{
    private const string ProvinceGroup = "province";

    private int MinSample => settings.MinSampleFor(Windows.Days30);

    public MonthlyReport Build(
        ReportMonth month, string scope, MonthLog log, PeerPriorTable priors, IEnumerable<AuditCase> audits, IReadOnlyList<PlanTargetView> targets)
    {
        var province = registry.Divisions.Province;
        var isProvince = scope == province.Code;
        var area = isProvince ? province : registry.Divisions.Find(scope) is { Level: DivisionLevel.City } city
            ? city
            : throw new ArgumentException($"{scope} is neither the province nor one of its cities.", nameof(scope));
        var cities = isProvince ? registry.Divisions.Cities : [area];
        var institutions = cities.SelectMany(c => registry.InstitutionsOf(c.Code)).ToList();
        var auditCounts = audits
            .Where(a => isProvince || a.CityCode == scope)
            .Select(a => (a.CityCode, a.InstitutionId, Counts: AuditMonth.Of(a, month)))
            .ToList();

        var members = isProvince
            ? cities.Select(c => Member(
                month,
                c.Code,
                c.Name,
                Label(c.Region),
                Aggregation.Sum(registry.InstitutionsOf(c.Code).Select(i => log.Institution(i.Id))),
                c.Region is { } r ? priors.For(r) : priors.Province,
                AuditMonth.Sum(auditCounts.Where(a => a.CityCode == c.Code).Select(a => a.Counts))))
            : institutions.Select(i => Member(
                month,
                i.Id,
                i.Name,
                KebabCase.Name(i.Kind),
                log.Institution(i.Id),
                area.Region is { } r ? priors.For(i.Kind, r) : priors.Province,
                AuditMonth.Sum(auditCounts.Where(a => a.InstitutionId == i.Id).Select(a => a.Counts))));
        var measured = members.ToDictionary(m => m.Id, StringComparer.Ordinal);
        var rows = Rankings.Rank(measured.Values.Select(m => new RankingCandidate(m.Id, m.Name, m.PeerGroup, m.Measures.Score)))
            .Select(entry => Row(measured[entry.Id], entry))
            .ToList();

        var total = Member(
            month,
            area.Code,
            area.Name,
            isProvince ? ProvinceGroup : Label(area.Region),
            Aggregation.Sum(institutions.Select(i => log.Institution(i.Id))),
            !isProvince && area.Region is { } region ? priors.For(region) : priors.Province,
            AuditMonth.Sum(auditCounts.Select(a => a.Counts)));
        var problemItems = ProblemItems.Rank(
            log.ItemLevels(cities.Select(c => c.Code).ToHashSet(StringComparer.Ordinal))
                .Select(i => (i.Item, registry.FindItem(i.Item)?.Name ?? i.Item, i.Levels)),
            settings);

        return new MonthlyReport(month.Name, area.Code, area.Name, month.From, month.Cut, Row(total, null), rows, targets, problemItems, isProvince ? "city" : "institution");
    }

    private Measured Member(ReportMonth month, string id, string name, string peerGroup, AggregateData data, PeerPrior prior, AuditCounts audits) =>
        new(id, name, peerGroup, MeasureCalculator.Period(data, month.FirstDay, month.LastDay, prior, settings, MinSample), audits);

    private static ReportRow Row(Measured m, RankingEntry? entry) => new(
        m.Id,
        m.Name,
        m.PeerGroup,
        entry?.Rank,
        entry?.Tied ?? false,
        m.Measures.Score,
        m.Measures.Handling,
        m.Measures.Service.Completed,
        m.Measures.Service.OnTimeRate,
        m.Audits);

    private static string Label(Region? region) => region is { } r ? KebabCase.Name(r) : ProvinceGroup;

    private sealed record Measured(string Id, string Name, string PeerGroup, PeriodMeasures Measures, AuditCounts Audits);
}
