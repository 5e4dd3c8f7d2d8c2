using Evaluation.Contracts.Measures;

namespace Evaluation.Domain.Measures;

/// <summary>A city or institution to rank, with the score of the window the ranking is for.</summary>
public sealed record RankingCandidate(string Id, string Name, string PeerGroup, ScoreView Score);

/// <summary>Rankings within peer groups (SPEC 2.7): ties and too-small samples are shown, never hidden.</summary>
public static class Rankings
{
    /// <summary>
    /// Peer groups in ordinal order of their label; within each, the ranked candidates by smoothed score with
    /// standard competition ranks (1, 2, 2, 4), scores equal to one decimal being tied as the public sees them;
    /// then the candidates with too few ratings, unranked, largest sample first.
    /// </summary>
    public static IReadOnlyList<RankingEntry> Rank(IEnumerable<RankingCandidate> candidates)
    {
        var entries = new List<RankingEntry>();
        foreach (var group in candidates.GroupBy(c => c.PeerGroup).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var ranked = group
                .Where(IsRanked)
                .Select(c => (Candidate: c, Shown: Math.Round(c.Score.SmoothedScore!.Value, 1, MidpointRounding.AwayFromZero)))
                .OrderByDescending(x => x.Shown)
                .ThenByDescending(x => x.Candidate.Score.Count)
                .ThenBy(x => x.Candidate.Id, StringComparer.Ordinal)
                .ToList();
            var sharing = ranked.CountBy(x => x.Shown).ToDictionary();
            var rank = 0;
            for (var i = 0; i < ranked.Count; i++)
            {
                var (candidate, shown) = ranked[i];
                if (i == 0 || shown != ranked[i - 1].Shown)
                {
                    rank = i + 1;
                }

                entries.Add(Entry(candidate, rank, sharing[shown] > 1));
            }

            entries.AddRange(group
                .Where(c => !IsRanked(c))
                .OrderByDescending(c => c.Score.Count)
                .ThenBy(c => c.Id, StringComparer.Ordinal)
                .Select(c => Entry(c, null, false)));
        }

        return entries;
    }

    /// <summary>
    /// The candidates of one peer group from the worst: the ranked ones by their rank in <see cref="Rank"/> from the
    /// last (ties keep their shared rank), then the ones with too few ratings, unranked, largest sample first.
    /// </summary>
    public static IReadOnlyList<RankingEntry> WorstFirst(IEnumerable<RankingCandidate> candidates)
    {
        var entries = Rank(candidates);
        return
        [
            .. entries.Where(e => e.Ranked).OrderByDescending(e => e.Rank),
            .. entries.Where(e => !e.Ranked),
        ];
    }

    private static bool IsRanked(RankingCandidate candidate) =>
        candidate.Score is { Ranked: true, SmoothedScore: not null };

    private static RankingEntry Entry(RankingCandidate candidate, int? rank, bool tied) => new(
        candidate.Id,
        candidate.Name,
        candidate.PeerGroup,
        rank,
        tied,
        candidate.Score.SmoothedScore,
        candidate.Score.Count,
        rank is not null);
}
