using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Measures;
using Evaluation.Domain.Registry;

namespace Evaluation.Detection.Simulation;

/// <summary>
/// Simulated traffic for a whole registry, a day at a time, with no real waiting: each day's ratings and
/// services become <see cref="LoggedEvent"/>s applied with the Domain's <see cref="Aggregation"/>, so the
/// detector sees exactly the state institution grains hold.
/// </summary>
public sealed class TrafficSimulation
{
    /// <summary>Days of normal history before day 0, so every window is full when detection starts.</summary>
    public const int WarmUpDays = 30;

    private readonly Random random;
    private readonly Dictionary<string, long> positions = [];
    private readonly Dictionary<string, IReadOnlyList<ServiceItem>> items = [];

    public TrafficSimulation(InstitutionRegistry registry, int seed, int days, bool plantScenarios = true)
    {
        Registry = registry;
        Days = days;
        random = new Random(seed);
        Profiles = registry.Institutions.ToDictionary(i => i.Id, i => InstitutionProfile.Draw(i, random));
        Plan = plantScenarios ? ScenarioPlan.Choose(registry, Profiles, days, random) : null;
        foreach (var institution in registry.Institutions)
        {
            Aggregates[institution.Id] = new AggregateData();
            var own = registry.ServicesOf(institution);
            items[institution.Id] = own.Count > 0 ? own : registry.ServiceItems.Items;
        }
    }

    public InstitutionRegistry Registry { get; }

    public int Days { get; }

    public IReadOnlyDictionary<string, InstitutionProfile> Profiles { get; }

    public ScenarioPlan? Plan { get; }

    public Dictionary<string, AggregateData> Aggregates { get; } = [];

    /// <summary>Day 0 of the evaluated period; warm-up days come before it.</summary>
    public static DateOnly Start { get; } = new(2026, 3, 2);

    public static DateOnly DateOf(int day) => Start.AddDays(day);

    /// <summary>Simulates one day (negative days are warm-up) for every institution.</summary>
    public void SimulateDay(int day)
    {
        foreach (var institution in Registry.Institutions)
        {
            SimulateDay(institution, day);
        }
    }

    private void SimulateDay(Institution institution, int day)
    {
        var profile = Profiles[institution.Id];
        var planted = Plan?.Cases.GetValueOrDefault(institution.Id);
        var active = planted is not null && day >= planted.OnsetDay;
        var since = active ? day - planted!.OnsetDay : 0;

        var badRate = profile.BadRate;
        var ratingsPerDay = profile.RatingsPerDay;
        var onTime = profile.OnTimeRate;
        var handling = profile.HandlingShare;
        switch (active ? planted!.Kind : (ScenarioKind?)null)
        {
            case ScenarioKind.GradualDecline:
                badRate += 0.30 * Math.Min(1, since / 21.0);
                break;
            case ScenarioKind.SuddenDrop:
                badRate = 0.6;
                break;
            case ScenarioKind.SlowService:
                onTime = 0.4;
                handling *= 3;
                break;
            case ScenarioKind.FewRatingsAllBad:
                ratingsPerDay = 0.4;
                badRate = 1;
                break;
            case ScenarioKind.CityDegrading:
                badRate += 0.2 * Math.Min(1, since / 14.0);
                onTime -= 0.15 * Math.Min(1, since / 14.0);
                break;
        }

        if (Plan?.InDip(day) == true)
        {
            // The holiday rush: everyone is slower and rated worse at once.
            badRate = Math.Min(1, (badRate * 2) + 0.04);
            onTime -= 0.08;
        }

        var date = DateOf(day);
        var channels = institution.Channels.Count > 0 ? institution.Channels : [Channel.Window];
        var services = items[institution.Id];
        var ratings = Poisson(ratingsPerDay);
        var completions = Poisson(ratingsPerDay / profile.EvaluationRate);
        for (var i = 0; i < completions; i++)
        {
            var item = services[random.Next(services.Count)];
            var channel = channels[random.Next(channels.Count)];
            var limitHours = item.TimeLimit.Unit == TimeLimitUnit.Hours ? item.TimeLimit.Value : item.TimeLimit.Value * 24 * 7 / 5.0;
            var onTimeNow = random.NextDouble() < onTime;
            var hours = Math.Max(0.1, limitHours * (onTimeNow ? handling * (0.5 + random.NextDouble()) : 1.1 + random.NextDouble()));
            Apply(institution.Id, new LoggedEvent(0, LoggedEventKind.ServiceOpened, date, channel, item.Domain, 0, false, 0, false));
            Apply(institution.Id, new LoggedEvent(0, LoggedEventKind.ServiceCompleted, date, channel, item.Domain, 0, onTimeNow, hours, true));
        }

        for (var i = 0; i < ratings; i++)
        {
            var item = services[random.Next(services.Count)];
            var level = random.NextDouble() < badRate ? 1 + random.Next(2) : GoodLevel();
            Apply(institution.Id, new LoggedEvent(0, LoggedEventKind.Evaluation, date, channels[random.Next(channels.Count)], item.Domain, (byte)level, false, 0, false));
        }
    }

    private void Apply(string institutionId, LoggedEvent template)
    {
        var position = positions.GetValueOrDefault(institutionId) + 1;
        positions[institutionId] = position;
        Aggregation.Apply(Aggregates[institutionId], template with { Position = position });
    }

    /// <summary>Levels 3, 4, 5 in the proportions a well-run window gets.</summary>
    private int GoodLevel()
    {
        var u = random.NextDouble();
        return u < 0.1 ? 3 : u < 0.4 ? 4 : 5;
    }

    private int Poisson(double mean)
    {
        if (mean > 50)
        {
            return Math.Max(0, (int)Math.Round(mean + (Math.Sqrt(mean) * Normal())));
        }

        var limit = Math.Exp(-mean);
        var product = random.NextDouble();
        var count = 0;
        while (product > limit)
        {
            product *= random.NextDouble();
            count++;
        }

        return count;
    }

    private double Normal() =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
