using Evaluation.Contracts.Measures;
using Evaluation.Domain.Measures;
using Xunit;

namespace Evaluation.Domain.Tests.Measures;

public sealed class RankingsTests
{
    [Fact]
    public void Competition_ranking_with_ties_at_one_decimal()
    {
        var entries = Rankings.Rank(
        [
            Candidate("c", "A", 80.0, 40),
            Candidate("a", "A", 90.0, 40),
            Candidate("b", "A", 80.04, 50),
            Candidate("d", "A", 70.0, 40),
        ]);

        // 80.04 and 80.0 both show as 80.0: they share rank 2 and the next rank is 4.
        Assert.Equal(["a", "b", "c", "d"], entries.Select(e => e.Id));
        Assert.Equal([1, 2, 2, 4], entries.Select(e => e.Rank));
        Assert.Equal([false, true, true, false], entries.Select(e => e.Tied));
        Assert.All(entries, e => Assert.True(e.Ranked));
    }

    [Fact]
    public void Scores_differing_at_one_decimal_are_not_tied()
    {
        var entries = Rankings.Rank([Candidate("x", "A", 85.24, 40), Candidate("y", "A", 85.26, 40)]);

        Assert.Equal(["y", "x"], entries.Select(e => e.Id));
        Assert.Equal([1, 2], entries.Select(e => e.Rank));
        Assert.All(entries, e => Assert.False(e.Tied));
    }

    [Fact]
    public void Too_small_samples_follow_unranked_largest_first()
    {
        var entries = Rankings.Rank(
        [
            Candidate("tiny", "A", 99.0, 3, ranked: false),
            Candidate("none", "A", null, 0, ranked: false),
            Candidate("small", "A", 95.0, 12, ranked: false),
            Candidate("big", "A", 60.0, 200),
        ]);

        Assert.Equal(["big", "small", "tiny", "none"], entries.Select(e => e.Id));
        Assert.Equal([1, null, null, null], entries.Select(e => e.Rank));
        Assert.Equal([true, false, false, false], entries.Select(e => e.Ranked));
        Assert.Equal([200L, 12, 3, 0], entries.Select(e => e.Count));
        Assert.Equal(99.0, entries[2].SmoothedScore);
    }

    [Fact]
    public void Each_peer_group_is_ranked_on_its_own()
    {
        var entries = Rankings.Rank(
        [
            Candidate("b1", "B", 50.0, 40),
            Candidate("a1", "A", 60.0, 40),
            Candidate("b2", "B", 55.0, 40),
            Candidate("a2", "A", 40.0, 40),
        ]);

        Assert.Equal(["a1", "a2", "b2", "b1"], entries.Select(e => e.Id));
        Assert.Equal([1, 2, 1, 2], entries.Select(e => e.Rank));
        Assert.Equal(["A", "A", "B", "B"], entries.Select(e => e.PeerGroup));
        Assert.Equal("name of b2", entries[2].Name);
    }

    [Fact]
    public void Nothing_to_rank_gives_an_empty_list() => Assert.Empty(Rankings.Rank([]));

    private static RankingCandidate Candidate(string id, string group, double? smoothed, long count, bool ranked = true) =>
        new(id, $"name of {id}", group, new ScoreView(count, new long[5], null, null, smoothed, smoothed, null, ranked));
}
