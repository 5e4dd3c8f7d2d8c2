using BenchmarkDotNet.Attributes;
using Evaluation.Contracts.Ingestion;
using Evaluation.Domain.Calendar;
using Evaluation.Domain.Ingestion;

namespace Evaluation.MicroBenchmarks;

/// <summary>
/// The rules every item of a batch passes before anything is logged, driven the way the ingest grain drives
/// them: one error list per item, so an item's errors never mix with its neighbours'.
/// </summary>
[MemoryDiagnoser]
public class ValidationBenchmarks
{
    private readonly IngestionRules rules = new(Inputs.Registry, WorkingCalendar.Default);
    private List<EvaluationInput> ratings = [];
    private List<ServiceRecordInput> records = [];

    [Params(1_000)]
    public int BatchSize { get; set; }

    /// <summary>Rejected items cost more than accepted ones: each broken rule formats its field path and message.</summary>
    [Params(0, 10)]
    public int InvalidPercent { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var inputs = new Inputs(seed: 11);
        ratings = inputs.Ratings(BatchSize, InvalidPercent / 100.0);
        records = inputs.ServiceRecords(BatchSize, InvalidPercent / 100.0);
    }

    [Benchmark]
    public int Ratings()
    {
        var valid = 0;
        for (var i = 0; i < ratings.Count; i++)
        {
            if (rules.Validate(ratings[i], i, Inputs.Now, []) is not null)
            {
                valid++;
            }
        }

        return valid;
    }

    [Benchmark]
    public int ServiceRecords()
    {
        var valid = 0;
        for (var i = 0; i < records.Count; i++)
        {
            if (rules.Validate(records[i], i, Inputs.Now, []) is not null)
            {
                valid++;
            }
        }

        return valid;
    }
}
