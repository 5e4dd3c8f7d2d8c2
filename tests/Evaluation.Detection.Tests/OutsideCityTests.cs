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

    [Theory]
    [InlineData(1, 41)]
    [InlineData(2, 40)]
    [InlineData(3, 7)]
    [InlineData(4, 1)]
    public void The_deviation_outside_a_city_is_the_median_of_the_sorted_distances_of_the_other_cities_values(int seed, int count)
    {
        // Values rounded to few digits tie often, on both sides of the median and at it.
        var random = new Random(seed);
        var cities = new[] { "440100", "440300", "440400" };
        var values = Enumerable.Range(0, count).Select(_ => (City: cities[random.Next(cities.Length)], Value: Math.Round(random.NextDouble(), 1))).ToList();
        var outside = new OutsideCity(values);

        foreach (var city in cities.Append(null))
        {
            var others = values.Where(v => v.City != city).Select(v => v.Value).Order().ToList();
            if (others.Count == 0)
            {
                Assert.Null(outside.Deviation(city, 0));
                continue;
            }

            var median = outside.Median(city)!.Value;
            var distances = others.Select(v => Math.Abs(v - median)).Order().ToList();
            Assert.Equal((distances[(distances.Count - 1) / 2] + distances[distances.Count / 2]) / 2, outside.Deviation(city, median));
        }
    }

    [Fact]
    public void Without_a_city_every_value_counts()
    {
        var outside = new OutsideCity([("A", 4), ("B", 1), ("B", 3), ("C", 2), ("C", 10)]);

        Assert.Equal(5, outside.Count(null));
        Assert.Equal(3, outside.Median(null));
        Assert.Equal(1, outside.Deviation(null, 3));
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
