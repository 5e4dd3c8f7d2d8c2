using BenchmarkDotNet.Attributes;
using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Measures;
using Evaluation.Domain.Measures;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Evaluation.MicroBenchmarks;

/// <summary>
/// What the area grains do on every hand-over and read: an institution applies a batch of logged events,
/// computes its measures, and a city or the province takes a member's report into its total, which it
/// otherwise adds up from all its members on activation and every few thousand reports. Reports into a city are
/// measured with the copy Orleans makes of what a grain call passes, since that copy was most of their cost.
/// </summary>
[MemoryDiagnoser]
public class AggregationBenchmarks
{
    private const int EventsPerDay = 50;

    private static readonly PeerPrior Prior = new(4.2, 10_000);

    private AggregateData institution = new();
    private List<LoggedEvent> batch = [];
    private List<AggregateData> cityMembers = [];
    private AggregateData city = new();
    private List<AggregateData> provinceCities = [];
    private AreaTotal<int> cityTotal = new();
    private AreaTotal<int> provinceTotal = new();
    private AggregateData[] memberReports = [];
    private AggregateData[] cityReports = [];
    private AreaTotal<int> deltaCityTotal = new();
    private List<TallyKey> reportedKeys = [];
    private DeepCopier copier = null!;
    private int report;

    /// <summary>90 days fill the longest window; 400 is the retention, what a long-running aggregate holds.</summary>
    [Params(90, 400)]
    public int HistoryDays { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var inputs = new Inputs(seed: 7);
        var busiest = Inputs.Serving.GroupBy(i => i.CityCode).MaxBy(g => g.Count())!.ToList();
        institution = inputs.Aggregate(busiest[0], HistoryDays, EventsPerDay);
        batch = inputs.Events(busiest[0], 1_000, days: 20);
        cityMembers = [.. busiest.Select(i => inputs.Aggregate(i, HistoryDays, EventsPerDay))];
        city = Aggregation.Sum(cityMembers);
        provinceCities = [.. Inputs.Serving.GroupBy(i => i.CityCode).Select(g => Aggregation.Sum(g.Select(i => inputs.Aggregate(i, HistoryDays, EventsPerDay))))];

        cityTotal = Totalled(cityMembers);
        provinceTotal = Totalled(provinceCities);
        memberReports = Reports(cityMembers[0], inputs.Events(busiest[0], 20, days: 1));
        cityReports = Reports(provinceCities[0], inputs.Events(busiest[0], 60, days: 1));

        // Apply changes the member's aggregate the total keeps, which the other benchmarks share.
        deltaCityTotal = Totalled([.. cityMembers.Select(Aggregation.Clone)]);
        reportedKeys = [.. memberReports[0].Tallies.Keys.Union(memberReports[1].Tallies.Keys)
            .Where(key => !Equal(memberReports[0], memberReports[1], key))];
        copier = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<DeepCopier>();
    }

    /// <summary>Its days already have tallies, as in a live institution, so this is the steady state, not the first fill.</summary>
    [Benchmark]
    public long Apply1000Events()
    {
        foreach (var e in batch)
        {
            Aggregation.Apply(institution, e);
        }

        return institution.Backlog;
    }

    [Benchmark]
    public AreaMeasures ComputeInstitution() =>
        MeasureCalculator.Compute(institution, Inputs.Now, Inputs.Today, Prior, MeasureSettings.Default);

    /// <summary>A city has more channels and domains than one institution, hence more tallies per day.</summary>
    [Benchmark]
    public AreaMeasures ComputeCity() =>
        MeasureCalculator.Compute(city, Inputs.Now, Inputs.Today, Prior, MeasureSettings.Default);

    /// <summary>
    /// The busiest city of the sample added up from all its members, as its grain does on activation and every few
    /// thousand reports; before totals were kept running, it did so after any member reported.
    /// </summary>
    [Benchmark]
    public AggregateData SumCity() => Aggregation.Sum(cityMembers);

    [Benchmark]
    public AggregateData SumProvince() => Aggregation.Sum(provinceCities);

    /// <summary>
    /// One institution of the busiest city reports again with today's tallies moved on by the events of a report
    /// period; the two reports take turns, so the total stays the same size run after run.
    /// </summary>
    [Benchmark]
    public AggregateData ReportIntoCity()
    {
        cityTotal.Replace(0, memberReports[++report % 2]);
        return cityTotal.Value;
    }

    /// <summary>The same report as an institution grain sent it before deltas: its whole aggregate, which Orleans copies.</summary>
    [Benchmark]
    public AggregateData WholeReportCopiedIntoCity()
    {
        cityTotal.Replace(0, copier.Copy(memberReports[++report % 2]));
        return cityTotal.Value;
    }

    /// <summary>
    /// The same report as a delta: the institution copies the tallies that changed, Orleans passes the delta as it
    /// is (it is immutable), and the city swaps those tallies.
    /// </summary>
    [Benchmark]
    public AggregateData DeltaReportIntoCity()
    {
        var changes = new UnreportedChanges();
        changes.Acknowledged(0);
        changes.Changed(reportedKeys);
        deltaCityTotal.Apply(0, copier.Copy(changes.TakeDelta(memberReports[++report % 2], 1)!));
        return deltaCityTotal.Value;
    }

    [Benchmark]
    public AggregateData ReportIntoProvince()
    {
        provinceTotal.Replace(0, cityReports[++report % 2]);
        return provinceTotal.Value;
    }

    private static AreaTotal<int> Totalled(List<AggregateData> members)
    {
        var total = new AreaTotal<int>();
        for (var i = 0; i < members.Count; i++)
        {
            total.Replace(i, members[i]);
        }

        return total;
    }

    private static bool Equal(AggregateData a, AggregateData b, TallyKey key) =>
        a.Tallies.TryGetValue(key, out var x) && b.Tallies.TryGetValue(key, out var y)
        && Aggregation.Equal(new AggregateData { Tallies = { [key] = x } }, new AggregateData { Tallies = { [key] = y } });

    /// <summary>A member's aggregate and the same after <paramref name="events"/>, as two successive reports.</summary>
    private static AggregateData[] Reports(AggregateData member, List<LoggedEvent> events)
    {
        var next = Aggregation.Clone(member);
        foreach (var e in events)
        {
            Aggregation.Apply(next, e);
        }

        return [member, next];
    }
}
