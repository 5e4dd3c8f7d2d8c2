using System.Globalization;
using Evaluation.Domain.Comments;
using Xunit;

namespace Evaluation.Domain.Tests.Comments;

public sealed class CommentTopicsTests
{
    /// <summary>
    /// The lexicon was tuned on the first set (0.685 before tuning, when this test was written; the goal 0.8). The
    /// second was written afterwards and never used to tune words on, so its figure (0.663 when first run, 0.700 once
    /// synonyms were added) is the honest one for comments unlike the ones seen: it is held near that level so the
    /// lexicon does not get worse, not to the goal.
    /// Both are printed with their misses.
    /// </summary>
    [Theory]
    [InlineData("labelled-comments.tsv", TopPrecision.Goal)]
    [InlineData("held-out-comments.tsv", 0.65)]
    public void The_top_topic_of_hand_labelled_comments_is_their_label(string file, double floor)
    {
        var labelled = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Comments", file))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('\t'))
            .Select(fields => (Label: fields[0], Comment: fields[1]))
            .ToList();

        var precision = TopPrecision.Measure(labelled, file, l => CommentTopics.Of(1, null, l.Comment)[0]);

        Assert.True(labelled.Count >= 80, "a labelled set holds enough comments to measure");
        Assert.True(precision >= floor, string.Create(CultureInfo.InvariantCulture, $"precision {precision:0.000} < {floor}"));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Ratings_that_are_no_bad_rating_have_no_topics(int level) =>
        Assert.Empty(CommentTopics.Of(level, ["slow"], "排队太久了"));

    [Fact]
    public void A_bad_rating_without_words_or_tags_counts_as_other() =>
        Assert.Equal([TopicLexicon.Other], CommentTopics.Of(2, null, null));

    [Fact]
    public void Reason_tags_name_topics_without_a_comment() =>
        Assert.Equal(["waiting", "attitude"], CommentTopics.Of(1, ["slow", "ATTITUDE", "unknown-tag"], null));

    [Fact]
    public void A_comment_can_name_several_topics_best_first()
    {
        var topics = CommentTopics.Of(1, null, "排队排了两个小时，轮到我了工作人员态度还很差");

        Assert.Equal("waiting", topics[0]);
        Assert.Contains("attitude", topics);
    }

    [Theory]
    [InlineData("态度很好，就是系统老是崩溃", "system")]
    [InlineData("不用排队，但是网站登录不上去", "system")]
    [InlineData("工作人员态度不太好", "attitude")]
    public void Praise_or_denial_takes_a_word_out_but_negated_praise_does_not(string comment, string top) =>
        Assert.Equal(top, CommentTopics.Of(1, null, comment)[0]);

    [Fact]
    public void Redaction_placeholders_are_not_read_as_words() =>
        Assert.Equal([TopicLexicon.Other], CommentTopics.Of(1, null, "[电话] [邮箱] [身份证]"));

    [Fact]
    public void Every_topic_has_labels_and_an_id_of_its_own()
    {
        Assert.Equal(TopicLexicon.Topics.Count, TopicLexicon.Topics.Select(t => t.Id).Distinct().Count());
        Assert.DoesNotContain(TopicLexicon.Topics, t => t.Id == TopicLexicon.Other || t.Label.Length == 0 || t.EnglishLabel.Length == 0);
        Assert.Equal("其他", TopicLexicon.Label(TopicLexicon.Other));
    }
}
