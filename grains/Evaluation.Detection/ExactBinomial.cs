namespace Evaluation.Detection;

/// <summary>
/// The exact (Clopper–Pearson) lower confidence bound of a proportion: the smallest rate under which seeing at least
/// this many events is no rarer than the test's one-sided tail. On a handful of trials with most of them events
/// (5 差评 of 7 ratings) Wilson's bound claims more than the binomial allows, and a rule tested every day over every
/// small institution turns that excess into false alerts; the exact bound does not.
/// </summary>
public static class ExactBinomial
{
    private const int Iterations = 40;

    /// <param name="z">The normal quantile of the one-sided confidence (3.29 ≈ 99.95 %).</param>
    public static double Lower(long events, long trials, double z)
    {
        if (events <= 0 || trials <= 0)
        {
            return 0;
        }

        var tail = UpperNormalTail(z);
        double low = 0, high = (double)events / trials;
        for (var i = 0; i < Iterations; i++)
        {
            var mid = (low + high) / 2;
            if (AtLeast(events, trials, mid) < tail)
            {
                low = mid;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    /// <summary>P(X ≥ k) for X ~ Binomial(n, p), summed term by term from P(X = 0).</summary>
    public static double AtLeast(long k, long n, double p)
    {
        if (p <= 0)
        {
            return 0;
        }

        if (p >= 1)
        {
            return 1;
        }

        var term = Math.Exp(n * Math.Log(1 - p));
        var odds = p / (1 - p);
        double below = 0;
        for (long j = 0; j < k; j++)
        {
            below += term;
            term *= (n - j) / (double)(j + 1) * odds;
        }

        return Math.Max(0, 1 - below);
    }

    /// <summary>1 − Φ(z), by Abramowitz and Stegun 7.1.26 (error under 1.5·10⁻⁷).</summary>
    public static double UpperNormalTail(double z)
    {
        var x = Math.Abs(z) / Math.Sqrt(2);
        var t = 1 / (1 + (0.3275911 * x));
        var erfc = t * (0.254829592 + (t * (-0.284496736 + (t * (1.421413741 + (t * (-1.453152027 + (t * 1.061405429))))))));
        var upper = 0.5 * erfc * Math.Exp(-x * x);
        return z >= 0 ? upper : 1 - upper;
    }
}
