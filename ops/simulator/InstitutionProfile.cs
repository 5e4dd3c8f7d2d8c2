namespace Evaluation.Simulator;

/// <summary>
/// How one institution behaves in the simulation: how busy it is and how well it serves.
/// Quality drives the level mix, so institutions differ the way real ones do and detection has something to find.
/// </summary>
internal sealed class InstitutionProfile(Institution institution, double quality, double weight)
{
    public Institution Institution { get; } = institution;

    /// <summary>0.3 (poor) .. 0.99 (excellent); about 0.8 on average.</summary>
    public double Quality { get; } = quality;

    /// <summary>Relative share of the traffic this institution handles.</summary>
    public double Weight { get; } = weight;

    public static InstitutionProfile Draw(Institution institution, Random random)
    {
        var quality = Math.Clamp(0.8 + (0.12 * random.NextGaussian()), 0.3, 0.99);
        var kindWeight = institution.Kind switch
        {
            "comprehensive-centre" => 4.0,
            "trademark-window" => 2.0,
            _ => 1.0,
        };
        return new InstitutionProfile(institution, quality, kindWeight * Math.Exp(0.5 * random.NextGaussian()));
    }

    /// <summary>
    /// Probabilities of levels 1..5 for a given quality. The 差评 share (levels 1–2) grows with the square of
    /// the shortfall, so over the quality spread drawn above, late services included, about 5 % of all ratings
    /// are 差评, concentrated in the weaker institutions.
    /// </summary>
    public static double[] LevelProbabilities(double quality)
    {
        var shortfall = 1 - Math.Clamp(quality, 0.3, 1);
        var bad = 0.01 + (0.55 * shortfall * shortfall);
        var fair = 0.03 + (0.3 * shortfall);
        var good = 0.15 + (0.2 * shortfall);
        return [0.4 * bad, 0.6 * bad, fair, good, 1 - bad - fair - good];
    }

    /// <summary>A level for one service; <paramref name="penalty"/> lowers the quality, e.g. when the service was late.</summary>
    public int DrawLevel(Random random, double penalty)
    {
        var probabilities = LevelProbabilities(Quality - penalty);
        var roll = random.NextDouble();
        for (var level = 1; level < 5; level++)
        {
            roll -= probabilities[level - 1];
            if (roll < 0)
            {
                return level;
            }
        }

        return 5;
    }
}
