using Evaluation.Detection;
using Xunit;

namespace Evaluation.Detection.Tests;

public sealed class OutsideCityTests
{
    [Fact]
    public void The_median_outside_a_city_is_the_median_of_the_other_cities_values()
    {
        var random = new Random(7);
        var cities = new[] { "440100", "440300", "440400", "440500" };
        var values = Enumerable.Range(0, 41).Select(_ => (City: cities[random.Next(cities.Length)], Value: Math.Round(random.NextDouble(), 2))).ToList();
        var outside = new OutsideCity(values);

        foreach (var city in cities.Append("445300"))
        {
            var others = values.Where(v => v.City != city).Select(v => v.Value).Order().ToList();
            Assert.Equal(others.Count, outside.Count(city));
            Assert.Equal(others.Count == 0 ? null : (others[(others.Count - 1) / 2] + others[others.Count / 2]) / 2, outside.Median(city));
        }
    }

    [Fact]
    public void Even_counts_average_the_middle_two_and_a_city_with_every_value_has_no_median()
    {
        var outside = new OutsideCity([("A", 4), ("B", 1), ("B", 3), ("C", 2), ("C", 10)]);

        Assert.Equal(2.5, outside.Median("A"));
        Assert.Equal(4, outside.Median("B"));
        Assert.Null(new OutsideCity([("A", 1), ("A", 2)]).Median("A"));
    }
}
