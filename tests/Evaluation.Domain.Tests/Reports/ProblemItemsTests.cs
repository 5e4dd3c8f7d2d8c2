using Evaluation.Domain.Measures;
using Evaluation.Domain.Reports;
using Xunit;

namespace Evaluation.Domain.Tests.Reports;

public sealed class ProblemItemsTests
{
    [Fact]
    public void Small_samples_are_smoothed_toward_the_scopes_bad_rate_so_volume_of_bad_ratings_counts()
    {
        // Scope: 300 ratings, 24 bad (8 %). "few": 2 of 3 bad; "many": 20 of 60 bad; "fine": 2 of 237 bad; "none": 0 bad.
        var items = new (string, string, long[])[]
        {
            ("few", "Few", [1, 1, 0, 0, 1]),
            ("many", "Many", [10, 10, 10, 10, 20]),
            ("fine", "Fine", [1, 1, 35, 100, 100]),
            ("none", "None", [0, 0, 0, 0, 0]),
        };

        var ranked = ProblemItems.Rank(items, MeasureSettings.Default);

        Assert.Equal(["many", "few", "fine"], ranked.Select(i => i.ServiceItem));
        var many = ranked[0];
        Assert.Equal((60, 20, 20.0 / 60), (many.Ratings, many.Bad, many.BadRate));
        Assert.Equal((20 + (10 * 24.0 / 300)) / 70, many.SmoothedBadRate, 12);
        Assert.Equal((2 + (10 * 24.0 / 300)) / 13, ranked[1].SmoothedBadRate, 12);
    }

    [Fact]
    public void Only_the_top_few_are_listed() =>
        Assert.Equal(2, ProblemItems.Rank(
            Enumerable.Range(0, 5).Select(i => ($"i{i}", $"I{i}", new long[] { 1, 0, 0, 0, 1 })), MeasureSettings.Default, top: 2).Count);

    [Fact]
    public void Items_with_the_same_smoothed_rate_rank_by_more_bad_ratings_then_by_code()
    {
        // Every item's 差评率 is the scope's 10 %, so all smooth to exactly 10 %.
        var items = new (string, string, long[])[]
        {
            ("b", "B", [1, 0, 0, 0, 9]),
            ("a", "A", [0, 1, 0, 0, 9]),
            ("c", "C", [1, 1, 0, 0, 18]),
        };

        var ranked = ProblemItems.Rank(items, MeasureSettings.Default);

        Assert.Equal(["c", "a", "b"], ranked.Select(i => i.ServiceItem));
        Assert.All(ranked, i => Assert.Equal(0.1, i.SmoothedBadRate, 12));
    }
}
