using Evaluation.Contracts.Registry;
using Evaluation.Domain.Registry;

namespace Evaluation.Detection.Simulation;

/// <summary>The kinds of planted cases; <see cref="SeasonalDip"/> is the one that must raise nothing.</summary>
public enum ScenarioKind
{
    GradualDecline = 0,
    SuddenDrop = 1,
    SlowService = 2,
    FewRatingsAllBad = 3,
    CityDegrading = 4,
    SeasonalDip = 5,
}

/// <summary>One planted underperformer: from <see cref="OnsetDay"/> on it is a real problem.</summary>
public sealed record PlantedCase(string InstitutionId, ScenarioKind Kind, int OnsetDay);

/// <summary>Where and when the scenarios happen in one simulated run; chosen from the seed.</summary>
public sealed class ScenarioPlan
{
    /// <summary>Cases planted per kind (the degrading city plants all of its institutions).</summary>
    public const int CasesPerKind = 5;

    /// <summary>Length of the province-wide dip every institution shares.</summary>
    public const int DipDays = 7;

    private ScenarioPlan(IReadOnlyDictionary<string, PlantedCase> cases, string degradingCity, int dipStart)
    {
        Cases = cases;
        DegradingCity = degradingCity;
        DipStart = dipStart;
    }

    public IReadOnlyDictionary<string, PlantedCase> Cases { get; }

    public string DegradingCity { get; }

    /// <summary>First day of the province-wide seasonal dip (e.g. a holiday rush): everyone is worse, nobody is a problem.</summary>
    public int DipStart { get; }

    public bool InDip(int day) => day >= DipStart && day < DipStart + DipDays;

    public static ScenarioPlan Choose(InstitutionRegistry registry, IReadOnlyDictionary<string, InstitutionProfile> profiles, int days, Random random)
    {
        var cases = new Dictionary<string, PlantedCase>();
        int Onset() => random.Next(Math.Min(15, days / 3), Math.Max(days - 25, (days / 3) + 1));

        // A whole city outside the Pearl River Delta degrades, so its peers (its region) stay mostly healthy.
        var cities = registry.Institutions
            .GroupBy(i => i.CityCode)
            .Where(g => g.Count() >= 6 && registry.Divisions.RegionOf(g.Key) != Region.PearlRiverDelta)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        var city = cities[random.Next(cities.Count)];
        var cityOnset = Onset();
        foreach (var institution in city)
        {
            cases[institution.Id] = new PlantedCase(institution.Id, ScenarioKind.CityDegrading, cityOnset);
        }

        var free = registry.Institutions.Where(i => !cases.ContainsKey(i.Id)).OrderBy(_ => random.Next()).ToList();
        void Plant(ScenarioKind kind, Func<Institution, bool> fits)
        {
            foreach (var institution in free.Where(i => !cases.ContainsKey(i.Id) && fits(i)).Take(CasesPerKind))
            {
                cases[institution.Id] = new PlantedCase(institution.Id, kind, Onset());
            }
        }

        // A drop can only show within a day where a day brings enough ratings to tell.
        Plant(ScenarioKind.SuddenDrop, i => profiles[i.Id].RatingsPerDay >= 20);
        Plant(ScenarioKind.FewRatingsAllBad, i => profiles[i.Id].RatingsPerDay <= 4);
        Plant(ScenarioKind.SlowService, _ => true);
        Plant(ScenarioKind.GradualDecline, _ => true);
        return new ScenarioPlan(cases, city.Key, random.Next(days / 3, (2 * days) / 3));
    }
}

/// <summary>An institution's normal behaviour in the simulation.</summary>
public sealed record InstitutionProfile(double RatingsPerDay, double BadRate, double OnTimeRate, double HandlingShare, double EvaluationRate)
{
    public static InstitutionProfile Draw(Institution institution, Random random)
    {
        var typical = institution.Kind switch
        {
            InstitutionKind.ComprehensiveCentre => 25.0,
            InstitutionKind.TrademarkWindow => 15.0,
            InstitutionKind.InfoOutlet => 6.0,
            InstitutionKind.TrademarkWorkstation => 5.0,
            _ => 3.0,
        };
        return new InstitutionProfile(
            typical * (0.6 + (0.9 * random.NextDouble())),
            0.02 + (0.05 * random.NextDouble()),
            0.88 + (0.09 * random.NextDouble()),
            0.25 + (0.3 * random.NextDouble()),
            0.5 + (0.3 * random.NextDouble()));
    }
}
