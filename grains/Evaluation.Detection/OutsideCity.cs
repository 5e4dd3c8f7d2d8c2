namespace Evaluation.Detection;

/// <summary>
/// Values tagged with the city they come from, sorted once, whose median leaving out one city is read in one pass
/// over them. Detection measures every subject against peers outside its own city; sorting each city's remainder
/// again for every city and every part was most of a run's time.
/// </summary>
public sealed class OutsideCity
{
    private readonly double[] sorted;
    private readonly string[] cities;
    private readonly Dictionary<string, int> perCity = new(StringComparer.Ordinal);

    public OutsideCity(IReadOnlyList<(string City, double Value)> values)
    {
        sorted = new double[values.Count];
        cities = new string[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            (cities[i], sorted[i]) = values[i];
            perCity[values[i].City] = perCity.GetValueOrDefault(values[i].City) + 1;
        }

        Array.Sort(sorted, cities);
    }

    /// <summary>How many values come from outside <paramref name="city"/> (null: every value).</summary>
    public int Count(string? city) => sorted.Length - (city is null ? 0 : perCity.GetValueOrDefault(city));

    /// <summary>The median of the values from outside <paramref name="city"/> (<see cref="PeerStatistics.MedianOfSorted"/>'s), null when there are none.</summary>
    public double? Median(string? city)
    {
        var count = Count(city);
        if (count == 0)
        {
            return null;
        }

        var (low, high) = ((count - 1) / 2, count / 2);
        double lowValue = 0;
        var rank = 0;
        for (var i = 0; i < sorted.Length; i++)
        {
            if (cities[i] == city)
            {
                continue;
            }

            if (rank == low)
            {
                lowValue = sorted[i];
            }

            if (rank == high)
            {
                return low == high ? lowValue : (lowValue + sorted[i]) / 2;
            }

            rank++;
        }

        throw new InvalidOperationException("The median's rank lies within the values counted.");
    }

    /// <summary>
    /// The median of the values' distances from <paramref name="median"/> (those from outside <paramref name="city"/>),
    /// as sorting the distances and taking <see cref="PeerStatistics.MedianOfSorted"/> gives it, null when there are
    /// none. The distances of the values below the median grow downwards and those of the rest upwards, so walking
    /// out from the median merges them in order without sorting.
    /// </summary>
    public double? Deviation(string? city, double median)
    {
        var count = Count(city);
        if (count == 0)
        {
            return null;
        }

        var right = 0;
        while (right < sorted.Length && sorted[right] < median)
        {
            right++;
        }

        var left = right - 1;
        var (low, high) = ((count - 1) / 2, count / 2);
        double lowValue = 0;
        for (var rank = 0; ; rank++)
        {
            left = Outside(city, left, -1);
            right = Outside(city, right, +1);
            var fromLeft = left >= 0 && (right == sorted.Length || Math.Abs(sorted[left] - median) <= Math.Abs(sorted[right] - median));
            var distance = Math.Abs(sorted[fromLeft ? left : right] - median);
            if (fromLeft)
            {
                left--;
            }
            else
            {
                right++;
            }

            if (rank == low)
            {
                lowValue = distance;
            }

            if (rank == high)
            {
                return low == high ? lowValue : (lowValue + distance) / 2;
            }
        }
    }

    /// <summary>The first index from <paramref name="index"/> on, stepping by <paramref name="step"/>, of a value from outside the city (or past the end).</summary>
    private int Outside(string? city, int index, int step)
    {
        while (index >= 0 && index < sorted.Length && cities[index] == city)
        {
            index += step;
        }

        return index;
    }
}
