using System.Globalization;
using System.Security.Cryptography;
using Evaluation.Contracts.Registry;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;

namespace Evaluation.Detection;

/// <summary>
/// A LightGBM regression of the 30-day satisfaction an institution's context predicts (kind, region, volume,
/// timeliness, 评价率). A large, statistically clear negative residual means it does worse than institutions
/// like it. Persisted as ML.NET's model zip so it survives restarts unchanged.
/// </summary>
public sealed class SatisfactionModel
{
    private const int FeatureCount = 13;
    private static readonly MLContext Ml = new(seed: 7);
    private readonly ITransformer transformer;

    private SatisfactionModel(ITransformer transformer, string version, DateTimeOffset trainedAt, int trainingRows)
    {
        this.transformer = transformer;
        Version = version;
        TrainedAt = trainedAt;
        TrainingRows = trainingRows;
    }

    public string Version { get; }

    public DateTimeOffset TrainedAt { get; }

    public int TrainingRows { get; }

    /// <summary>Trains on the rows with enough ratings; null when too few institutions have them to learn anything.</summary>
    public static SatisfactionModel? Train(IReadOnlyList<InstitutionFeatures> rows, DetectionSettings settings, DateTimeOffset now)
    {
        var training = rows
            .Where(r => r[FeatureWindow.Days30].Ratings >= settings.MinRatingsForModel)
            .Select(r => new Row { Features = Context(r), Label = (float)r[FeatureWindow.Days30].Satisfaction!.Value })
            .ToList();
        if (training.Count < 30)
        {
            return null;
        }

        var trainer = Ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
        {
            NumberOfIterations = 60,
            NumberOfLeaves = 8,

            // Large leaves keep the trees from memorising single institutions, the outliers we want residuals for.
            MinimumExampleCountPerLeaf = Math.Max(10, training.Count / 20),
            LearningRate = 0.1,
            Seed = 7,
            NumberOfThreads = 1,
        });
        var model = trainer.Fit(Ml.Data.LoadFromEnumerable(training));
        return new SatisfactionModel(model, VersionAt(now, training.Count), now, training.Count);
    }

    /// <summary>Expected 30-day satisfaction (0..100) per row, in order.</summary>
    public float[] Predict(IReadOnlyList<InstitutionFeatures> rows)
    {
        var input = Ml.Data.LoadFromEnumerable(rows.Select(r => new Row { Features = Context(r) }));
        return [.. Ml.Data.CreateEnumerable<Prediction>(transformer.Transform(input), reuseRowObject: false).Select(p => p.Score)];
    }

    public byte[] Save()
    {
        using var stream = new MemoryStream();
        Ml.Model.Save(transformer, InputSchema(), stream);
        return stream.ToArray();
    }

    public static SatisfactionModel Load(byte[] zip, string version, DateTimeOffset trainedAt, int trainingRows)
    {
        using var stream = new MemoryStream(zip);
        return new SatisfactionModel(Ml.Model.Load(stream, out _), version, trainedAt, trainingRows);
    }

    /// <summary>Context only: nothing that is itself a rating, so the prediction is what peers in that context get.</summary>
    internal static float[] Context(InstitutionFeatures row)
    {
        var features = new float[FeatureCount];
        features[(int)row.PeerGroup.Kind] = 1;
        features[5 + (int)row.PeerGroup.Region] = 1;
        var month = row[FeatureWindow.Days30];
        features[9] = (float)Math.Log(1 + month.Ratings);
        features[10] = (float)(month.EvaluationRate ?? 0);
        features[11] = (float)(month.OnTimeRate ?? 1);
        features[12] = (float)(row.HandlingVsLimit(FeatureWindow.Days30) ?? 0);
        return features;
    }

    private static DataViewSchema InputSchema() =>
        Ml.Data.LoadFromEnumerable(Array.Empty<Row>()).Schema;

    private static string VersionAt(DateTimeOffset now, int rows)
    {
        var stamp = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var salt = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2));
        return $"sat-lgbm-{stamp}-{rows}-{salt}";
    }

    private sealed class Row
    {
        [VectorType(FeatureCount)]
        public float[] Features { get; set; } = new float[FeatureCount];

        public float Label { get; set; }
    }

    private sealed class Prediction
    {
        public float Score { get; set; }
    }

    /// <summary>Kinds and regions are one-hot; keep the layout in step with the enums.</summary>
    static SatisfactionModel()
    {
        if (Enum.GetValues<InstitutionKind>().Length != 5 || Enum.GetValues<Region>().Length != 4)
        {
            throw new InvalidOperationException("SatisfactionModel's one-hot layout no longer matches InstitutionKind/Region.");
        }
    }
}
