using System.Globalization;
using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Measures;
using Xunit;

namespace Evaluation.Domain.Tests.Measures;

public sealed class PlanTargetsTests
{
    /// <summary>Three cities; Guangzhou with four districts, Shenzhen and Shaoguan with two each: eight counties.</summary>
    private static readonly Division[] Divisions =
    [
        new("440000", "广东省", "Guangdong", DivisionLevel.Province, null, null, null),
        new("440100", "广州市", "Guangzhou", DivisionLevel.City, "440000", Region.PearlRiverDelta, null),
        new("440200", "韶关市", "Shaoguan", DivisionLevel.City, "440000", Region.North, "440100"),
        new("440300", "深圳市", "Shenzhen", DivisionLevel.City, "440000", Region.PearlRiverDelta, null),
        County("440103", "荔湾区", "Liwan", "440100"),
        County("440104", "越秀区", "Yuexiu", "440100"),
        County("440105", "海珠区", "Haizhu", "440100"),
        County("440106", "天河区", "Tianhe", "440100"),
        County("440303", "罗湖区", "Luohu", "440300"),
        County("440304", "福田区", "Futian", "440300"),
        County("440203", "武江区", "Wujiang", "440200"),
        County("440204", "浈江区", "Zhenjiang", "440200"),
    ];

    private static readonly HashSet<string> Pilots = ["440203"];

    /// <summary>
    /// Centres in Guangzhou and Shenzhen (city level) and in Liwan and Luohu; a closed one in Shaoguan and one in
    /// Wujiang that only opens next year; trademark services in Guangzhou and Shenzhen only.
    /// </summary>
    private static readonly Institution[] Registry =
    [
        Make("gz", InstitutionKind.ComprehensiveCentre, "440100"),
        Make("sz", InstitutionKind.ComprehensiveCentre, "440300"),
        Make("liwan", InstitutionKind.ComprehensiveCentre, "440100", "440103"),
        Make("luohu", InstitutionKind.ComprehensiveCentre, "440300", "440303"),
        Make("sg-closed", InstitutionKind.ComprehensiveCentre, "440200", status: "closed"),
        Make("wujiang-later", InstitutionKind.ComprehensiveCentre, "440200", "440203", opened: new DateOnly(2030, 1, 1)),
        Make("gz-tm", InstitutionKind.TrademarkWindow, "440100"),
        Make("sz-tm", InstitutionKind.TrademarkWorkstation, "440300", "440304"),
    ];

    [Fact]
    public void Every_target_of_the_plan_is_reported()
    {
        var targets = Evaluate(Registry, 0, new DateOnly(2024, 6, 30));

        Assert.Equal(
        [
            "centres-cities-pilot-counties", "county-coverage", "coverage-440100-2024", "coverage-440300-2024",
            "coverage-440100-2025", "coverage-440300-2025", "info-outlets", "trademark-cities", "thematic-databases",
        ],
        targets.Select(t => t.Code));
        Assert.All(targets, t => Assert.Contains("(", t.Name)); // Chinese name with an English gloss
    }

    [Fact]
    public void Centres_lacking_in_a_city_and_pilot_county_put_the_target_at_risk_then_missed()
    {
        // 2024-06-30: 184 days left, but 2 of 4 (50 %) lags 546 of 730 days elapsed (75 %).
        var before = Target(Evaluate(Registry, 0, new DateOnly(2024, 6, 30)), "centres-cities-pilot-counties");

        Assert.Equal(2, before.Current);
        Assert.Equal(4, before.Target);
        Assert.Equal(new DateOnly(2024, 12, 31), before.Due);
        Assert.Equal(TargetStatus.AtRisk, before.Status);
        Assert.Contains("韶关市 (Shaoguan)", before.Detail);
        Assert.Contains("武江区 (Wujiang)", before.Detail);
        Assert.DoesNotContain("广州市", before.Detail);

        var after = Target(Evaluate(Registry, 0, new DateOnly(2025, 1, 1)), "centres-cities-pilot-counties");
        Assert.Equal(TargetStatus.Missed, after.Status);
    }

    [Fact]
    public void Centres_everywhere_meet_the_target_even_after_the_due_date()
    {
        Institution[] registry =
        [
            .. Registry,
            Make("sg", InstitutionKind.ComprehensiveCentre, "440200"),
            Make("wujiang", InstitutionKind.ComprehensiveCentre, "440200", "440203"),
        ];

        var target = Target(Evaluate(registry, 0, new DateOnly(2026, 5, 1)), "centres-cities-pilot-counties");

        Assert.Equal(4, target.Current);
        Assert.Equal(TargetStatus.Met, target.Status);
    }

    [Fact]
    public void County_coverage_counts_counties_with_an_active_centre()
    {
        var target = Target(Evaluate(Registry, 0, new DateOnly(2024, 6, 30)), "county-coverage");

        // Liwan and Luohu of eight counties; the later Wujiang centre has not opened.
        Assert.Equal(25, target.Current, 9);
        Assert.Equal(30, target.Target);
        Assert.Equal("%", target.Unit);
        Assert.Equal(new DateOnly(2025, 12, 31), target.Due);

        // 25/30 = 83 % done with 546 of 1095 days (50 %) elapsed and 549 days left.
        Assert.Equal(TargetStatus.OnTrack, target.Status);
    }

    [Fact]
    public void Guangzhou_and_Shenzhen_coverage_must_exceed_the_threshold()
    {
        var targets = Evaluate(Registry, 0, new DateOnly(2024, 6, 30));

        // Guangzhou 1 of 4 = 25 %: not above 25 %. Shenzhen 1 of 2 = 50 %: above 25 %, not above 50 %.
        Assert.Equal(25, Target(targets, "coverage-440100-2024").Current, 9);
        Assert.Equal(TargetStatus.OnTrack, Target(targets, "coverage-440100-2024").Status);
        Assert.Equal(TargetStatus.Met, Target(targets, "coverage-440300-2024").Status);
        Assert.Equal(50, Target(targets, "coverage-440300-2025").Current, 9);
        Assert.Equal(TargetStatus.OnTrack, Target(targets, "coverage-440300-2025").Status);
        Assert.Contains("广州市", Target(targets, "coverage-440100-2024").Name);

        var late = Evaluate(Registry, 0, new DateOnly(2025, 1, 1));
        Assert.Equal(TargetStatus.Missed, Target(late, "coverage-440100-2024").Status);
        Assert.Equal(TargetStatus.Met, Target(late, "coverage-440300-2024").Status);
    }

    [Fact]
    public void Only_active_provincial_or_national_outlets_count()
    {
        Institution[] registry =
        [
            .. Enumerable.Range(0, 30).Select(i => Make($"p{i}", InstitutionKind.InfoOutlet, "440100", rank: "provincial")),
            .. Enumerable.Range(0, 19).Select(i => Make($"n{i}", InstitutionKind.InfoOutlet, "440300", rank: "national")),
            Make("unranked", InstitutionKind.InfoOutlet, "440100"),
            Make("closed", InstitutionKind.InfoOutlet, "440100", rank: "national", status: "closed"),
        ];

        var early = Target(Evaluate(registry, 0, new DateOnly(2025, 3, 1)), "info-outlets");
        Assert.Equal(49, early.Current);
        Assert.Equal(50, early.Target);
        Assert.Equal("30 provincial, 19 national", early.Detail);

        // 49/50 is ahead of the elapsed share, yet fewer than 180 days remain on 2025-07-15 (169 days).
        Assert.Equal(TargetStatus.OnTrack, early.Status);
        Assert.Equal(
            TargetStatus.AtRisk,
            Target(Evaluate(registry, 0, new DateOnly(2025, 7, 15)), "info-outlets").Status);

        Institution[] enough = [.. registry, Make("n19", InstitutionKind.InfoOutlet, "440300", rank: "national")];
        Assert.Equal(TargetStatus.Met, Target(Evaluate(enough, 0, new DateOnly(2025, 3, 1)), "info-outlets").Status);
    }

    [Fact]
    public void Trademark_services_must_reach_every_city()
    {
        var target = Target(Evaluate(Registry, 0, new DateOnly(2025, 3, 1)), "trademark-cities");

        Assert.Equal(2, target.Current);
        Assert.Equal(3, target.Target);
        Assert.Equal("1 without a trademark window or workstation: 韶关市 (Shaoguan)", target.Detail);
    }

    [Theory]
    [InlineData(100, "2026-01-05", TargetStatus.Met)]
    [InlineData(99, "2026-01-05", TargetStatus.Missed)]
    [InlineData(99, "2025-12-31", TargetStatus.AtRisk)] // due today, not reached: still open, zero days left
    [InlineData(40, "2024-06-30", TargetStatus.AtRisk)] // 40 % done, 50 % of the period elapsed
    [InlineData(60, "2024-06-30", TargetStatus.OnTrack)]
    public void Thematic_database_status(int count, string today, TargetStatus status)
    {
        var day = DateOnly.Parse(today, CultureInfo.InvariantCulture);
        var target = Target(Evaluate(Registry, count, day), "thematic-databases");

        Assert.Equal(count, target.Current);
        Assert.Equal(100, target.Target);
        Assert.Equal(status, target.Status);
    }

    [Fact]
    public void The_at_risk_lead_time_is_settable()
    {
        // 2025-08-01: 152 days left, 99 of 100 done.
        var today = new DateOnly(2025, 8, 1);

        Assert.Equal(TargetStatus.AtRisk, Target(Evaluate(Registry, 99, today), "thematic-databases").Status);
        Assert.Equal(
            TargetStatus.OnTrack,
            Target(PlanTargets.Evaluate(Divisions, Registry, Pilots, 99, today, atRiskLeadDays: 100), "thematic-databases").Status);
    }

    private static IReadOnlyList<PlanTargetView> Evaluate(Institution[] registry, int databases, DateOnly today) =>
        PlanTargets.Evaluate(Divisions, registry, Pilots, databases, today);

    private static PlanTargetView Target(IReadOnlyList<PlanTargetView> targets, string code) =>
        targets.Single(t => t.Code == code);

    private static Division County(string code, string name, string nameEn, string city) =>
        new(code, name, nameEn, DivisionLevel.County, city, null, null);

    private static Institution Make(
        string id,
        InstitutionKind kind,
        string city,
        string? county = null,
        string status = "active",
        string? rank = null,
        DateOnly? opened = null) =>
        new(id, id, kind, null, rank, city, county, "address", "020-0000000", opened ?? new DateOnly(2023, 1, 1),
            status, [Channel.Window], [], true);
}
