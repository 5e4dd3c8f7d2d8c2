using Evaluation.Contracts.Registry;
using Evaluation.Domain.Registry;

namespace Evaluation.Detection.Simulation;

/// <summary>
/// The kinds of planted cases. <see cref="SeasonalDip"/>, <see cref="HolidayWeeks"/>, <see cref="SourceOutage"/> and
/// <see cref="Unplanted"/> are the ones that must raise nothing.
/// </summary>
public enum ScenarioKind
{
    GradualDecline = 0,
    SuddenDrop = 1,
    SlowService = 2,
    FewRatingsAllBad = 3,
    CityDegrading = 4,

    /// <summary>The province-wide dip every institution shares (not planted on any one).</summary>
    SeasonalDip = 5,

    /// <summary>One service item of an otherwise good institution rated badly.</summary>
    FailingServiceItem = 6,

    /// <summary>One channel of an otherwise good institution rated badly.</summary>
    FailingChannel = 7,

    /// <summary>Handling taking nearly the whole time limit (peers take about 40 % of it), on time as often as before.</summary>
    SlowWithinLimits = 8,

    /// <summary>An institution that opens during the run: a fortnight of normal service, then bad.</summary>
    NewInstitution = 9,

    /// <summary>A source outage: two days of an institution's data arrive two days late. Must not alert.</summary>
    SourceOutage = 10,

    /// <summary>The public holidays of the calendar (fewer services, a worse mix, for everyone). Not planted on any one.</summary>
    HolidayWeeks = 11,

    /// <summary>
    /// <see cref="GradualDecline"/> at a small institution (under <see cref="ScenarioPlan.SmallRatingsPerDay"/> ratings a
    /// day): a week of it holds too few ratings to tell a 10-point rise from chance, so it is measured apart.
    /// </summary>
    GradualDeclineSmall = 12,

    /// <summary>The institutions never planted: any alert on one of them, at any time, is false.</summary>
    Unplanted = 13,
}

/// <summary>
/// One planted case: from <see cref="OnsetDay"/> on it is a real problem (or, for a <see cref="ScenarioKind.SourceOutage"/>,
/// its data stops for two days). <see cref="ServiceItem"/> and <see cref="Channel"/> name the failing part;
/// <see cref="FirstDataDay"/> is when a new institution opens.
/// </summary>
public sealed record PlantedCase(string InstitutionId, ScenarioKind Kind, int OnsetDay, string? ServiceItem = null, Channel? Channel = null, int? FirstDataDay = null)
{
    /// <summary>False for a case that must not alert: any alert on it is false.</summary>
    public bool Positive => Kind != ScenarioKind.SourceOutage;
}

/// <summary>Where and when the scenarios happen in one simulated run; chosen from the seed.</summary>
public sealed class ScenarioPlan
{
    /// <summary>Cases planted per kind (the degrading city plants all of its institutions).</summary>
    public const int CasesPerKind = 5;

    /// <summary>Length of the province-wide dip every institution shares.</summary>
    public const int DipDays = 7;

    /// <summary>Ratings a day below which a gradual decline is planted as <see cref="ScenarioKind.GradualDeclineSmall"/>.</summary>
    public const double SmallRatingsPerDay = 15;

    /// <summary>Days of normal service a new institution has before it goes bad.</summary>
    public const int NewInstitutionHistoryDays = 14;

    /// <summary>Days of data a source outage holds back (they arrive this many days late).</summary>
    public const int OutageDays = 2;

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

    /// <summary>Whether a source outage holds back the institution's data of <paramref name="day"/>.</summary>
    public static bool InOutage(PlantedCase planted, int day) =>
        planted.Kind == ScenarioKind.SourceOutage && day >= planted.OnsetDay && day < planted.OnsetDay + OutageDays;

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
        void Plant(ScenarioKind kind, Func<Institution, bool> fits, Func<Institution, int, PlantedCase>? make = null)
        {
            foreach (var institution in free.Where(i => !cases.ContainsKey(i.Id) && fits(i)).Take(CasesPerKind))
            {
                var onset = Onset();
                cases[institution.Id] = make?.Invoke(institution, onset) ?? new PlantedCase(institution.Id, kind, onset);
            }
        }

        // A drop can only show within a day where a day brings enough ratings to tell; a part of an institution
        // only where the part alone brings a few ratings a day.
        Plant(ScenarioKind.SuddenDrop, i => profiles[i.Id].RatingsPerDay >= 20);
        Plant(ScenarioKind.FewRatingsAllBad, i => profiles[i.Id].RatingsPerDay <= 4);
        Plant(ScenarioKind.SlowService, _ => true);
        Plant(ScenarioKind.GradualDecline, i => profiles[i.Id].RatingsPerDay >= SmallRatingsPerDay);
        Plant(ScenarioKind.GradualDeclineSmall, i => profiles[i.Id].RatingsPerDay < SmallRatingsPerDay);
        Plant(ScenarioKind.FailingServiceItem, i => registry.ServicesOf(i) is { Count: >= 2 } own && profiles[i.Id].RatingsPerDay / own.Count >= 2.5,
            (i, onset) => new PlantedCase(i.Id, ScenarioKind.FailingServiceItem, onset, ServiceItem: registry.ServicesOf(i)[random.Next(registry.ServicesOf(i).Count)].Code));
        Plant(ScenarioKind.FailingChannel, i => i.Channels.Count >= 2 && profiles[i.Id].RatingsPerDay / i.Channels.Count >= 5,
            (i, onset) => new PlantedCase(i.Id, ScenarioKind.FailingChannel, onset, Channel: i.Channels[random.Next(i.Channels.Count)]));
        Plant(ScenarioKind.SlowWithinLimits, _ => true);
        Plant(ScenarioKind.NewInstitution, _ => true,
            (i, onset) => new PlantedCase(i.Id, ScenarioKind.NewInstitution, onset, FirstDataDay: Math.Max(0, onset - NewInstitutionHistoryDays)));
        Plant(ScenarioKind.SourceOutage, _ => true);
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
