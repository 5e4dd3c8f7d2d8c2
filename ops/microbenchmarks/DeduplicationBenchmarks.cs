using BenchmarkDotNet.Attributes;
using Evaluation.Contracts.Ingestion;
using Evaluation.Domain.Ingestion;

namespace Evaluation.MicroBenchmarks;

/// <summary>
/// The in-batch de-duplication of the ingest grain: each valid item's key claimed in an ordinal set, a repeat
/// answered as a duplicate before the log is asked. The log's own, durable check is ops/bench's business.
/// </summary>
[MemoryDiagnoser]
public class DeduplicationBenchmarks
{
    private const double ResendShare = 0.05;

    private List<EvaluationInput> ratings = [];
    private List<ServiceRecordInput> records = [];

    [Params(1_000, 5_000)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var inputs = new Inputs(seed: 13);
        ratings = inputs.WithResends(inputs.Ratings(BatchSize), ResendShare);
        records = inputs.WithResends(inputs.ServiceRecords(BatchSize), ResendShare);
    }

    [Benchmark]
    public int Ratings()
    {
        var keysInBatch = new HashSet<string>(StringComparer.Ordinal);
        var duplicates = 0;
        foreach (var rating in ratings)
        {
            if (!keysInBatch.Add(DedupKeys.Of(SourceNames.Default, rating)))
            {
                duplicates++;
            }
        }

        return duplicates;
    }

    /// <summary>The grain builds a completion's open key (which the log probes) with its event, before the claim.</summary>
    [Benchmark]
    public (int Duplicates, int Probes) ServiceRecords()
    {
        var keysInBatch = new HashSet<string>(StringComparer.Ordinal);
        var duplicates = 0;
        var probes = 0;
        foreach (var record in records)
        {
            var openKey = record.CompletedAt is null ? null : DedupKeys.OpenOf(SourceNames.Default, record);
            if (!keysInBatch.Add(DedupKeys.Of(SourceNames.Default, record)))
            {
                duplicates++;
            }
            else if (openKey is not null)
            {
                probes++;
            }
        }

        return (duplicates, probes);
    }
}
