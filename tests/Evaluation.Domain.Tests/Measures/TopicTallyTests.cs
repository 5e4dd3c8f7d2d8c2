using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Measures;
using Evaluation.Domain.Measures;
using Xunit;

namespace Evaluation.Domain.Tests.Measures;

public sealed class TopicTallyTests
{
    private static readonly DateOnly Today = new(2026, 11, 30);

    private static LoggedEvent Bad(DateOnly day, params string[] topics) => Events.Rating(day, 1) with { Topics = topics };

    [Fact]
    public void A_bad_rating_counts_under_each_topic_and_once_as_read_and_its_exclusion_takes_them_off()
    {
        var rating = Bad(Today, "waiting", "attitude");
        var data = Events.Aggregate(rating, Bad(Today, "waiting"));

        Assert.Equal(2, data.Topics[new(Today, "waiting")]);
        Assert.Equal(1, data.Topics[new(Today, "attitude")]);
        Assert.Equal(2, data.Topics[new(Today, TopicTally.Read)]);

        Aggregation.Apply(data, rating with { Kind = LoggedEventKind.EvaluationExcluded });
        Assert.Equal(1, data.Topics[new(Today, "waiting")]);
        Assert.False(data.Topics.ContainsKey(new(Today, "attitude")));
        Assert.Equal(1, data.Topics[new(Today, TopicTally.Read)]);
    }

    [Fact]
    public void Events_without_topics_change_no_topic_count()
    {
        var data = Events.Aggregate(Events.Rating(Today, 1), Events.Rating(Today, 5), Events.Opened(Today), Events.Completed(Today, 3));
        Assert.Empty(data.Topics);
    }

    [Fact]
    public void Shares_are_of_the_bad_ratings_read_and_the_trend_is_the_week_against_the_month()
    {
        var events = new List<LoggedEvent>();
        for (var i = 0; i < 10; i++)
        {
            // The last 7 days: 4 of 5 about waiting; the 23 days before: 1 of 5.
            events.Add(Bad(Today.AddDays(-(i % 7)), i < 8 ? "waiting" : "attitude"));
        }

        events.Add(Bad(Today.AddDays(-20), "waiting"));
        events.AddRange(Enumerable.Range(0, 4).Select(_ => Bad(Today.AddDays(-20), "system")));
        events.Add(Bad(Today.AddDays(-40), "fees"));
        events.Add(Bad(Today.AddDays(1), "fees"));

        var summary = TopicMeasures.Summarize(Events.Aggregate([.. events]), Today);

        Assert.Equal(10, summary.BadD7);
        Assert.Equal(15, summary.BadD30);
        Assert.Equal(["waiting", "system", "attitude"], summary.Topics.Select(t => t.Topic));
        var waiting = summary.Topics[0];
        Assert.Equal(("等待时间长", "Long waits", 8L, 9L), (waiting.Label, waiting.EnglishLabel, waiting.CountD7, waiting.CountD30));
        Assert.Equal(0.8, waiting.ShareD7!.Value, 9);
        Assert.Equal(0.6, waiting.ShareD30!.Value, 9);
        Assert.Equal(0.2, waiting.Trend!.Value, 9);
        var system = summary.Topics[1];
        Assert.Equal((0L, 0.0), (system.CountD7, system.ShareD7!.Value));
    }

    [Fact]
    public void No_bad_ratings_read_means_no_shares()
    {
        var summary = TopicMeasures.Summarize(new AggregateData(), Today);
        Assert.Equal((0L, 0L), (summary.BadD7, summary.BadD30));
        Assert.Empty(summary.Topics);
    }

    [Fact]
    public void Pruning_drops_old_topic_counts_and_names_them()
    {
        var data = Events.Aggregate(Bad(Today.AddDays(-3), "waiting"), Bad(Today, "fees"));

        var pruned = TopicTally.PruneBefore(data, Today.AddDays(-1));

        Assert.Equal([new(Today.AddDays(-3), "waiting"), new(Today.AddDays(-3), TopicTally.Read)], pruned.ToHashSet());
        Assert.Equal([new(Today, "fees"), new(Today, TopicTally.Read)], data.Topics.Keys.ToHashSet());
    }

    [Fact]
    public void Differences_name_the_day_and_topic()
    {
        var differences = Aggregation.Differences(Events.Aggregate(Bad(Today, "waiting")), Events.Aggregate(Bad(Today, "attitude")));

        Assert.Contains("2026-11-30/topic waiting: expected 1, actual 0", differences);
        Assert.Contains("2026-11-30/topic attitude: expected 0, actual 1", differences);
        Assert.DoesNotContain(differences, d => d.Contains("topic *", StringComparison.Ordinal));
    }
}
