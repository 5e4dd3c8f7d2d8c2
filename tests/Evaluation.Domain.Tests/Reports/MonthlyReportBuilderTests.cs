using Evaluation.Contracts.Cases;
using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;
using Evaluation.Contracts.Reports;
using Evaluation.Domain.Measures;
using Evaluation.Domain.Registry;
using Evaluation.Domain.Reports;
using Evaluation.Domain.Tests.Measures;
using Xunit;

namespace Evaluation.Domain.Tests.Reports;

/// <summary>
/// The monthly 通报 (SPEC 2.7): a city's report ranks its institutions within their kind, the province's ranks its
/// cities within their region; both count only the month's days and the scope's own ratings, audits and 事项.
/// </summary>
public sealed class MonthlyReportBuilderTests
{
    private const string Guangzhou = "440100";
    private const string Shenzhen = "440300";

    private static readonly InstitutionRegistry Registry = InstitutionRegistry.LoadSample();

    private static readonly ReportMonth October = new(2026, 10);

    private static readonly MeasureSettings Settings = MeasureSettings.Default;

    // Three different priors, so a member judged against the wrong peer group shows in its smoothed score.
    private static readonly PeerPrior ProvincePrior = new(4.0, 500);

    private static readonly PeerPrior DeltaPrior = new(3.0, 200);

    private static readonly PeerPrior CentrePrior = new(2.0, 50);

    private static readonly PeerPriorTable Priors = new(
        new Dictionary<string, PeerPrior> { [PeerPriorTable.KeyOf(InstitutionKind.ComprehensiveCentre, Region.PearlRiverDelta)] = CentrePrior },
        new Dictionary<Region, PeerPrior> { [Region.PearlRiverDelta] = DeltaPrior },
        ProvincePrior);

    private static readonly PlanTargetView[] Targets =
        [new("coverage", "覆盖率", 0.5, 0.9, "share", new DateOnly(2026, 12, 31), TargetStatus.AtRisk, "half way")];

    private readonly Institution good;
    private readonly Institution bad;
    private readonly Institution few;
    private readonly Institution elsewhere;
    private readonly MonthLog log = new();
    private readonly List<AuditCase> audits = [];

    public MonthlyReportBuilderTests()
    {
        var centres = Registry.InstitutionsOf(Guangzhou).Where(i => i.Kind == InstitutionKind.ComprehensiveCentre).ToList();
        (good, bad, few) = (centres[0], centres[1], centres[2]);
        elsewhere = Registry.InstitutionsOf(Shenzhen)[0];

        Rate(good, October.FirstDay, 5, 25, "PAT-SEARCH");
        Rate(bad, October.LastDay, 1, 25, "PAT-FILING");
        Rate(few, new DateOnly(2026, 10, 15), 4, 3, null);
        Rate(elsewhere, new DateOnly(2026, 10, 15), 1, 30, "TM-REG");

        // Opened in October; opened in September and escalated in October, so overdue at the month's end; and one in Shenzhen.
        audits.Add(Audit(good, (AuditStep.Opened, Day(10, 9))));
        audits.Add(Audit(good, (AuditStep.Opened, Day(9, 9)), (AuditStep.Escalation, Day(10, 2))));
        audits.Add(Audit(elsewhere, (AuditStep.Opened, Day(10, 20))));
    }

    [Fact]
    public void A_city_report_ranks_its_institutions_within_their_kind_on_the_months_days()
    {
        var report = Build(Guangzhou);

        Assert.Equal(("2026-10", Guangzhou, "广州市", "institution"), (report.Month, report.Scope, report.ScopeName, report.MemberKind));
        Assert.Equal((October.From, October.Cut), (report.From, report.Cut));
        Assert.Equal(Registry.InstitutionsOf(Guangzhou).Select(i => i.Id).Order(), report.Rows.Select(r => r.Id).Order());
        Assert.Same(Targets, report.PlanTargets);

        var rows = report.Rows.ToDictionary(r => r.Id);
        Assert.Equal((25L, 1, false), (rows[good.Id].Scores.Count, rows[good.Id].Rank, rows[good.Id].Tied));
        Assert.Equal((25L, 2), (rows[bad.Id].Scores.Count, rows[bad.Id].Rank));
        Assert.Equal((3L, (int?)null), (rows[few.Id].Scores.Count, rows[few.Id].Rank));
        Assert.All([good, bad, few], i => Assert.Equal("comprehensive-centre", rows[i.Id].PeerGroup));

        // Judged like the 30-day window, against the prior of the institution's kind in its region.
        AssertScore(ExpectedScore([bad], CentrePrior), rows[bad.Id].Scores);
        Assert.Equal(new AuditCounts(1, 0, 1), rows[good.Id].Audits);
        Assert.Equal(new AuditCounts(0, 0, 0), rows[bad.Id].Audits);

        Assert.Equal((Guangzhou, "广州市", "pearl-river-delta", (int?)null, false), (report.Total.Id, report.Total.Name, report.Total.PeerGroup, report.Total.Rank, report.Total.Tied));
        Assert.Equal(53, report.Total.Scores.Count);
        Assert.Equal(new[] { 25L, 0, 0, 3, 25 }, report.Total.Scores.Levels);
        AssertScore(ExpectedScore(Registry.InstitutionsOf(Guangzhou), DeltaPrior), report.Total.Scores);
        Assert.Equal(new AuditCounts(1, 0, 1), report.Total.Audits);

        // Only the city's 事项 with 差评 are problem items; Shenzhen's are not Guangzhou's problem.
        var item = Assert.Single(report.ProblemItems);
        Assert.Equal(("PAT-FILING", 25L, 25L), (item.ServiceItem, item.Ratings, item.Bad));
        Assert.Equal(Registry.FindItem("PAT-FILING")!.Name, item.Name);
    }

    [Fact]
    public void The_province_report_ranks_its_cities_within_their_region()
    {
        var report = Build(Registry.Divisions.Province.Code);

        Assert.Equal(("440000", "city"), (report.Scope, report.MemberKind));
        Assert.Equal(Registry.Divisions.Cities.Select(c => c.Code).Order(), report.Rows.Select(r => r.Id).Order());

        var rows = report.Rows.ToDictionary(r => r.Id);
        Assert.Equal(("pearl-river-delta", 53L), (rows[Guangzhou].PeerGroup, rows[Guangzhou].Scores.Count));
        Assert.Equal(30L, rows[Shenzhen].Scores.Count);
        AssertScore(ExpectedScore(Registry.InstitutionsOf(Guangzhou), DeltaPrior), rows[Guangzhou].Scores);

        // Both delta cities have enough ratings: Guangzhou's four-in-ten 差评 beat Shenzhen's all-bad month.
        Assert.Equal((1, 2), (rows[Guangzhou].Rank, rows[Shenzhen].Rank));
        Assert.Equal(new AuditCounts(1, 0, 0), rows[Shenzhen].Audits);

        Assert.Equal(("440000", "province", 83L), (report.Total.Id, report.Total.PeerGroup, report.Total.Scores.Count));
        AssertScore(ExpectedScore(Registry.Institutions, ProvincePrior), report.Total.Scores);
        Assert.Equal(new AuditCounts(2, 0, 1), report.Total.Audits);
        Assert.Equal(["TM-REG", "PAT-FILING"], report.ProblemItems.Select(i => i.ServiceItem));
    }

    [Fact]
    public void Institutions_with_the_same_shown_score_share_their_rank_as_tied()
    {
        var twin = Registry.InstitutionsOf(Guangzhou).Where(i => i.Kind == InstitutionKind.ComprehensiveCentre).ElementAt(3);
        Rate(twin, October.FirstDay, 5, 25, "PAT-SEARCH");

        var rows = Build(Guangzhou).Rows.ToDictionary(r => r.Id);

        Assert.Equal((1, true), (rows[good.Id].Rank, rows[good.Id].Tied));
        Assert.Equal((1, true), (rows[twin.Id].Rank, rows[twin.Id].Tied));
        Assert.Equal((3, false), (rows[bad.Id].Rank, rows[bad.Id].Tied));
    }

    [Theory]
    [InlineData("440103")]
    [InlineData("999999")]
    public void A_scope_that_is_neither_the_province_nor_a_city_is_refused(string scope)
    {
        var error = Assert.Throws<ArgumentException>(() => Build(scope));
        Assert.Equal("scope", error.ParamName);
        Assert.Contains(scope, error.Message, StringComparison.Ordinal);
    }

    private MonthlyReport Build(string scope) =>
        new MonthlyReportBuilder(Registry, Settings).Build(October, scope, log, Priors, audits, Targets);

    private static void AssertScore(ScoreView expected, ScoreView actual)
    {
        Assert.Equal(expected.Levels, actual.Levels);
        Assert.Equal((expected.Count, expected.SmoothedScore, expected.Ranked), (actual.Count, actual.SmoothedScore, actual.Ranked));
    }

    private static DateTimeOffset Day(int month, int day) => new(2026, month, day, 10, 0, 0, TimeSpan.FromHours(8));

    private ScoreView ExpectedScore(IEnumerable<Institution> institutions, PeerPrior prior) =>
        MeasureCalculator.Period(
            Aggregation.Sum(institutions.Select(i => log.Institution(i.Id))),
            October.FirstDay,
            October.LastDay,
            prior,
            Settings,
            Settings.MinSampleFor(Windows.Days30)).Score;

    private void Rate(Institution institution, DateOnly day, int level, int count, string? item)
    {
        for (var n = 0; n < count; n++)
        {
            log.Apply(institution, Events.Rating(day, level, item: item));
        }
    }

    private static AuditCase Audit(Institution institution, params (AuditStep Step, DateTimeOffset At)[] steps)
    {
        var history = steps.Select((s, i) => new AuditEntry(i + 1, s.Step, null, AuditState.Opened, "someone", "role", s.At, null, [])).ToList();
        var opened = steps[0].At;
        return new AuditCase($"aud-{institution.Id}-{opened:MMdd}", institution.Id, institution.CityCode, null, "reason", AuditState.Opened, opened,
            opened.AddDays(15), false, null, null, 0, history);
    }
}
