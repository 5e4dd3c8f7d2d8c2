using BenchmarkDotNet.Attributes;
using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Measures;
using Evaluation.Domain.Measures;

namespace Evaluation.MicroBenchmarks;

/// <summary>
/// What the area grains do on every hand-over and read: an institution applies a batch of logged events,
/// computes its measures, and a city or the province adds up its members' aggregates.
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

    /// <summary>The busiest city of the sample; its grain re-adds every member after any one of them reports.</summary>
    [Benchmark]
    public AggregateData SumCity() => Aggregation.Sum(cityMembers);

    [Benchmark]
    public AggregateData SumProvince() => Aggregation.Sum(provinceCities);
}
