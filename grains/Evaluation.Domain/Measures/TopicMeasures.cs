using Evaluation.Contracts.Measures;
using Evaluation.Domain.Comments;

namespace Evaluation.Domain.Measures;

/// <summary>
/// The comment topics of an area's 差评 over the last 7 and 30 Shanghai days (today included): each topic's count,
/// its share of the 差评 read for topics, and its trend (7-day share less 30-day share), most frequent first.
/// </summary>
public static class TopicMeasures
{
    public static TopicSummary Summarize(AggregateData data, DateOnly today)
    {
        var week = new Dictionary<string, long>(StringComparer.Ordinal);
        var month = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (key, count) in data.Topics)
        {
            var age = today.DayNumber - key.Day.DayNumber;
            if (age is >= 0 and < 30)
            {
                month[key.Topic] = month.GetValueOrDefault(key.Topic) + count;
                if (age < 7)
                {
                    week[key.Topic] = week.GetValueOrDefault(key.Topic) + count;
                }
            }
        }

        var readD7 = week.GetValueOrDefault(TopicTally.Read);
        var readD30 = month.GetValueOrDefault(TopicTally.Read);
        var topics = month.Where(t => t.Key != TopicTally.Read && t.Value > 0)
            .OrderByDescending(t => t.Value).ThenBy(t => t.Key, StringComparer.Ordinal)
            .Select(t =>
            {
                var countD7 = week.GetValueOrDefault(t.Key);
                var shareD7 = Share(countD7, readD7);
                var shareD30 = Share(t.Value, readD30);
                return new TopicShare(
                    t.Key, TopicLexicon.Label(t.Key), TopicLexicon.EnglishLabel(t.Key), countD7, t.Value, shareD7, shareD30, shareD7 - shareD30);
            });
        return new TopicSummary(readD7, readD30, [.. topics]);
    }

    private static double? Share(long count, long of) => of > 0 ? (double)count / of : null;
}
