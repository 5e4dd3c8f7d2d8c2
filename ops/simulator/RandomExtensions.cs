namespace Evaluation.Simulator;

internal static class RandomExtensions
{
    /// <summary>A standard normal draw (Box–Muller), so seeded runs stay repeatable.</summary>
    public static double NextGaussian(this Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    public static double NextDouble(this Random random, double min, double max) => min + (random.NextDouble() * (max - min));

    public static T Pick<T>(this Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
