namespace Evaluation.Detection;

/// <summary>Wilson score bounds of a proportion: honest on small samples, where the normal approximation claims too much.</summary>
public static class Wilson
{
    public static double Lower(long successes, long trials, double z) => Bound(successes, trials, z, -1);

    public static double Upper(long successes, long trials, double z) => Bound(successes, trials, z, +1);

    private static double Bound(long successes, long trials, double z, int sign)
    {
        if (trials == 0)
        {
            return sign < 0 ? 0 : 1;
        }

        double n = trials;
        var p = successes / n;
        var z2 = z * z;
        var centre = p + (z2 / (2 * n));
        var half = z * Math.Sqrt((p * (1 - p) / n) + (z2 / (4 * n * n)));
        return Math.Clamp((centre + (sign * half)) / (1 + (z2 / n)), 0, 1);
    }
}
