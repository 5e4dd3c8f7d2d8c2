using Evaluation.Contracts.Detection;
using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Measures;
using Xunit;

namespace Evaluation.Detection.Tests;

public sealed class TopicLinesTests
{
    private static readonly DateOnly Today = new(2026, 11, 30);

    private static Signal SignalOf(AlertReason reason) =>
        new("inst-1", "440100", reason, true, true, AlertSeverity.Medium, 1, [new ExplanationLine("badRate", 0.5, 0.05, "d7", "近7天差评率 50.0%")]);

    /// <summary>An aggregate with the given 差评, each about the given topics, <paramref name="daysAgo"/> days back.</summary>
    private static AggregateData Bad(int daysAgo, int count, params string[] topics)
    {
        var data = new AggregateData();
        for (var i = 0; i < count; i++)
        {
            Aggregation.Apply(data, new LoggedEvent(i + 1, LoggedEventKind.Evaluation, Today.AddDays(-daysAgo), Channel.Window, IpDomain.Patent, 1, false, 0, false, Topics: topics));
        }

        return data;
    }

    [Fact]
    public void A_rating_alert_ends_with_the_two_top_named_topics_of_the_week()
    {
        var data = Aggregation.Sum([Bad(1, 6, "waiting"), Bad(2, 2, "attitude", "waiting"), Bad(3, 2, "other")]);

        var signal = TopicLines.Annotate(SignalOf(AlertReason.LowSatisfaction), new Dictionary<string, AggregateData> { ["inst-1"] = data }, Today);

        Assert.Equal(2, signal.Explanation.Count);
        var line = signal.Explanation[^1];
        Assert.Equal((Explanations.TopicMeasure, "d7", null), (line.Measure, line.Window, line.PeerMedian));
        Assert.Equal(0.8, line.Value, 9);
        Assert.Equal("近7天差评集中在：等待时间长 80.0%、态度差 20.0%（共 10 条差评）", line.Text);
    }

    [Fact]
    public void A_quiet_week_falls_back_to_the_month()
    {
        var data = Aggregation.Sum([Bad(1, 1, "fees"), Bad(20, 4, "system")]);

        var line = TopicLines.Annotate(SignalOf(AlertReason.SuddenDrop), new Dictionary<string, AggregateData> { ["inst-1"] = data }, Today).Explanation[^1];

        Assert.Equal("d30", line.Window);
        Assert.Equal("近30天差评集中在：系统故障/网上平台 80.0%、收费 20.0%（共 5 条差评）", line.Text);
    }

    [Theory]
    [InlineData(AlertReason.SlowService, 10)]
    [InlineData(AlertReason.FollowUpOverdue, 10)]
    [InlineData(AlertReason.LowSatisfaction, TopicLines.MinRead - 1)]
    public void Other_reasons_and_too_few_bad_ratings_get_no_topic_line(AlertReason reason, int bad)
    {
        var signal = SignalOf(reason);
        var annotated = TopicLines.Annotate(signal, new Dictionary<string, AggregateData> { ["inst-1"] = Bad(1, bad, "waiting") }, Today);
        Assert.Same(signal, annotated);
    }

    [Fact]
    public void Bad_ratings_about_nothing_named_get_no_topic_line()
    {
        var signal = SignalOf(AlertReason.LowSatisfaction);
        Assert.Same(signal, TopicLines.Annotate(signal, new Dictionary<string, AggregateData> { ["inst-1"] = Bad(1, 10, "other") }, Today));
    }
}
