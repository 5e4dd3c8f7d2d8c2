using System.Globalization;
using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;

namespace Evaluation.Domain.Measures;

/// <summary>
/// The coverage targets of the plan (SPEC 2.8), evaluated live from the registry.
/// </summary>
/// <remarks>
/// An institution counts when its status is <c>active</c> and it has opened by today. A division's comprehensive
/// centre is one registered in that division (<see cref="Institution.DivisionCode"/>): a city's centre has no county
/// code, a county's centre carries the county's code. Percentages are given as 0..100 with unit "%", as the plan
/// states them.
/// </remarks>
public static class PlanTargets
{
    /// <summary>The plan covers 2023–2025; linear progress is measured from its first day.</summary>
    public static readonly DateOnly PlanStart = new(2023, 1, 1);

    public const int DefaultAtRiskLeadDays = 180;

    public const string Guangzhou = "440100";

    public const string Shenzhen = "440300";

    /// <summary>The target whose current value the province enters by hand rather than one the registry gives.</summary>
    public const string ThematicDatabasesCode = "thematic-databases";

    private static readonly DateOnly End2024 = new(2024, 12, 31);

    private static readonly DateOnly End2025 = new(2025, 12, 31);

    private enum Comparison
    {
        AtLeast,
        Above,
    }

    public static IReadOnlyList<PlanTargetView> Evaluate(
        IReadOnlyList<Division> divisions,
        IReadOnlyList<Institution> institutions,
        IReadOnlySet<string> pilotCountyCodes,
        int thematicDatabaseCount,
        DateOnly today,
        int atRiskLeadDays = DefaultAtRiskLeadDays)
    {
        var counting = institutions
            .Where(i => string.Equals(i.Status, "active", StringComparison.OrdinalIgnoreCase) && i.OpenedOn <= today)
            .ToList();
        var withCentre = counting
            .Where(i => i.Kind == InstitutionKind.ComprehensiveCentre)
            .Select(i => i.DivisionCode)
            .ToHashSet(StringComparer.Ordinal);
        var withTrademarkService = counting
            .Where(i => i.Kind is InstitutionKind.TrademarkWindow or InstitutionKind.TrademarkWorkstation)
            .Select(i => i.CityCode)
            .ToHashSet(StringComparer.Ordinal);
        var cities = divisions.Where(d => d.Level == DivisionLevel.City).ToList();
        var counties = divisions.Where(d => d.Level == DivisionLevel.County).ToList();
        var byCode = divisions.ToDictionary(d => d.Code, StringComparer.Ordinal);

        var centreDivisions = cities
            .Concat(pilotCountyCodes.Order(StringComparer.Ordinal).Select(code =>
                byCode.GetValueOrDefault(code) ?? new Division(code, code, code, DivisionLevel.County, null, null, null)))
            .ToList();
        var centresMissing = centreDivisions.Where(d => !withCentre.Contains(d.Code)).ToList();
        var outlets = counting
            .Where(i => i.Kind == InstitutionKind.InfoOutlet && i.Rank is { } rank
                && (rank.Equals("provincial", StringComparison.OrdinalIgnoreCase)
                    || rank.Equals("national", StringComparison.OrdinalIgnoreCase)))
            .ToList();
        var national = outlets.Count(i => i.Rank!.Equals("national", StringComparison.OrdinalIgnoreCase));
        var trademarkMissing = cities.Where(c => !withTrademarkService.Contains(c.Code)).ToList();

        var targets = new List<Draft>
        {
            new(
                "centres-cities-pilot-counties",
                "地市及国家知识产权强县建设试点示范县综合性公共服务机构全覆盖 (a comprehensive centre in every prefecture city and national pilot county)",
                centreDivisions.Count - centresMissing.Count,
                centreDivisions.Count,
                "divisions",
                End2024,
                Comparison.AtLeast,
                Missing(centresMissing, "without a comprehensive centre")),
            Coverage(
                "county-coverage",
                "县级综合性公共服务机构覆盖率 (county-level comprehensive-centre coverage)",
                counties,
                withCentre,
                30,
                End2025,
                Comparison.AtLeast),
        };
        foreach (var (due, threshold) in new[] { (End2024, 25.0), (End2025, 50.0) })
        {
            foreach (var city in new[] { Guangzhou, Shenzhen })
            {
                var cityName = byCode.TryGetValue(city, out var division) ? division.Name : city;
                var cityNameEn = division?.NameEn ?? city;
                targets.Add(Coverage(
                    string.Create(CultureInfo.InvariantCulture, $"coverage-{city}-{due.Year}"),
                    $"{cityName}综合性知识产权公共服务县（市、区）覆盖率 ({cityNameEn} county-level coverage)",
                    counties.Where(c => c.ParentCode == city).ToList(),
                    withCentre,
                    threshold,
                    due,
                    Comparison.Above));
            }
        }

        targets.Add(new(
            "info-outlets",
            "省级以上知识产权信息公共服务网点 (provincial-or-national information outlets)",
            outlets.Count,
            50,
            "outlets",
            End2025,
            Comparison.AtLeast,
            string.Create(
                CultureInfo.InvariantCulture,
                $"{outlets.Count - national} provincial, {national} national")));
        targets.Add(new(
            "trademark-cities",
            "地市商标业务受理窗口或服务工作站全覆盖 (a trademark window or workstation in every prefecture city)",
            cities.Count - trademarkMissing.Count,
            cities.Count,
            "cities",
            End2025,
            Comparison.AtLeast,
            Missing(trademarkMissing, "without a trademark window or workstation")));
        targets.Add(new(
            ThematicDatabasesCode,
            "省级专题专利数据库 (provincial thematic patent databases)",
            thematicDatabaseCount,
            100,
            "databases",
            End2025,
            Comparison.AtLeast,
            "Count entered by the province"));

        return targets.Select(t => t.ToView(today, atRiskLeadDays)).ToList();
    }

    private static Draft Coverage(
        string code, string name, IReadOnlyList<Division> counties, HashSet<string> withCentre, double threshold,
        DateOnly due, Comparison comparison)
    {
        var missing = counties.Where(c => !withCentre.Contains(c.Code)).ToList();
        var covered = counties.Count - missing.Count;
        var percent = counties.Count == 0 ? 0 : 100.0 * covered / counties.Count;
        var detail = string.Create(
            CultureInfo.InvariantCulture,
            $"{covered} of {counties.Count} county-level divisions have a comprehensive centre");
        return new Draft(code, name, percent, threshold, "%", due, comparison, detail);
    }

    private static string Missing(IReadOnlyList<Division> missing, string what) => missing.Count == 0
        ? "None missing"
        : $"{missing.Count} {what}: {string.Join(", ", missing.Select(d => $"{d.Name} ({d.NameEn})"))}";

    private sealed record Draft(
        string Code, string Name, double Current, double Target, string Unit, DateOnly Due, Comparison Comparison,
        string Detail)
    {
        public PlanTargetView ToView(DateOnly today, int atRiskLeadDays) =>
            new(Code, Name, Current, Target, Unit, Due, Status(today, atRiskLeadDays), Detail);

        /// <summary>
        /// Met whenever reached, even late; missed once the due date has passed; at risk when little time is left
        /// or progress (current / target) lags the share of the plan period already elapsed.
        /// </summary>
        private TargetStatus Status(DateOnly today, int atRiskLeadDays)
        {
            var reached = Comparison == Comparison.Above ? Current > Target : Current >= Target;
            if (reached)
            {
                return TargetStatus.Met;
            }

            if (today > Due)
            {
                return TargetStatus.Missed;
            }

            var remaining = Due.DayNumber - today.DayNumber;
            var elapsed = (double)(today.DayNumber - PlanStart.DayNumber) / (Due.DayNumber - PlanStart.DayNumber);
            var progress = Target == 0 ? 1 : Current / Target;
            return remaining < atRiskLeadDays || progress < elapsed ? TargetStatus.AtRisk : TargetStatus.OnTrack;
        }
    }
}
