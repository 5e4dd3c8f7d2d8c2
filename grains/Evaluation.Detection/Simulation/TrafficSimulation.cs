using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Calendar;
using Evaluation.Domain.Measures;
using Evaluation.Domain.Registry;
using NodaTime;

namespace Evaluation.Detection.Simulation;

/// <summary>
/// Simulated traffic for a whole registry, a day at a time, with no real waiting: each day's ratings and
/// services become <see cref="LoggedEvent"/>s applied with the Domain's <see cref="Aggregation"/>, so the
/// detector sees exactly the state institution grains hold.
/// </summary>
public sealed class TrafficSimulation
{
    /// <summary>Days of normal history before day 0, so the windows and an institution's own earlier rate are well filled when detection starts.</summary>
    public const int WarmUpDays = 60;

    /// <summary>The 差评率 of a failing service item or channel.</summary>
    public const double FailingPartBadRate = 0.45;

    private static readonly WorkingCalendar Calendar = WorkingCalendar.Default;

    private readonly Random random;
    private readonly Dictionary<string, long> positions = [];
    private readonly Dictionary<string, IReadOnlyList<ServiceItem>> items = [];
    private readonly Dictionary<string, List<LoggedEvent>> heldBack = [];

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
        if (planted?.FirstDataDay is { } opened && day < opened)
        {
            return;
        }

        // An outage's days are generated as usual but arrive late, dated their own days, like a source catching up.
        var held = planted is not null && ScenarioPlan.InOutage(planted, day);
        if (!held && heldBack.Remove(institution.Id, out var late))
        {
            late.ForEach(e => Apply(institution.Id, e));
        }

        var active = planted is not null && day >= planted.OnsetDay;
        var since = active ? day - planted!.OnsetDay : 0;

        var badRate = profile.BadRate;
        var ratingsPerDay = profile.RatingsPerDay;
        var onTime = profile.OnTimeRate;
        var handling = profile.HandlingShare;
        switch (active ? planted!.Kind : (ScenarioKind?)null)
        {
            case ScenarioKind.GradualDecline or ScenarioKind.GradualDeclineSmall:
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
            case ScenarioKind.SlowWithinLimits:
                handling = 0.95;
                break;
            case ScenarioKind.NewInstitution:
                badRate = 0.3;
                break;
        }

        if (Plan?.InDip(day) == true)
        {
            // The seasonal rush: everyone is slower and rated worse at once.
            badRate = Math.Min(1, (badRate * 2) + 0.04);
            onTime -= 0.08;
        }

        var date = DateOf(day);
        if (Calendar.IsHoliday(LocalDate.FromDateOnly(date)))
        {
            // A public holiday: half the usual services, and a mix that is rated worse.
            ratingsPerDay *= 0.5;
            badRate = Math.Min(1, (badRate * 1.5) + 0.01);
            onTime -= 0.05;
        }

        var failingItem = active ? planted!.ServiceItem : null;
        var failingChannel = active ? planted!.Channel : null;
        var sink = held ? HeldBack(institution.Id) : null;
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
            Emit(institution.Id, sink, new LoggedEvent(0, LoggedEventKind.ServiceOpened, date, channel, item.Domain, 0, false, 0, false, item.Code));
            Emit(institution.Id, sink, new LoggedEvent(0, LoggedEventKind.ServiceCompleted, date, channel, item.Domain, 0, onTimeNow, hours, true, item.Code));
        }

        for (var i = 0; i < ratings; i++)
        {
            var item = services[random.Next(services.Count)];
            var channel = channels[random.Next(channels.Count)];
            var failing = item.Code == failingItem || channel == failingChannel;
            var level = random.NextDouble() < (failing ? FailingPartBadRate : badRate) ? 1 + random.Next(2) : GoodLevel();
            Emit(institution.Id, sink, new LoggedEvent(0, LoggedEventKind.Evaluation, date, channel, item.Domain, (byte)level, false, 0, false, item.Code));
        }
    }

    private List<LoggedEvent> HeldBack(string institutionId) =>
        heldBack.TryGetValue(institutionId, out var list) ? list : heldBack[institutionId] = [];

    private void Emit(string institutionId, List<LoggedEvent>? heldBackEvents, LoggedEvent template)
    {
        if (heldBackEvents is not null)
        {
            heldBackEvents.Add(template);
        }
        else
        {
            Apply(institutionId, template);
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
