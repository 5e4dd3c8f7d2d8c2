using JiebaNet.Segmenter;

namespace Evaluation.Domain.Comments;

/// <summary>
/// Reads the topics of a 差评 from its comment and reason tags: jieba.NET cuts the (redacted) comment into words,
/// each word of a topic in <see cref="TopicLexicon"/> scores for it (strong words 2, others 1, a tag naming it 2),
/// a synonym of a lexicon word (<see cref="TopicSynonyms"/>) 1, and the topics that score are returned best first (ties: the one the comment names first). A word followed
/// closely by praise (态度很好, 不慢) is not a complaint and scores nothing. Ratings of levels 3–5 have no topics;
/// a 差评 with none gets <see cref="TopicLexicon.Other"/>.
/// </summary>
public static class CommentTopics
{
    /// <summary>Words that, within two words after a topic word, turn it into praise.</summary>
    private static readonly HashSet<string> Praise = new(StringComparer.Ordinal)
    {
        "好", "很好", "挺好", "不错", "热情", "耐心", "周到", "满意", "快", "很快", "及时", "清楚", "专业", "方便", "干净", "整洁", "顺利", "高效",
    };

    /// <summary>Words that, just before a topic word, deny it (不用排队, 无需补交).</summary>
    private static readonly HashSet<string> Denial = new(StringComparer.Ordinal) { "不用", "无需", "不必", "免", "免于", "不需要" };

    /// <summary>Words that, just before praise, negate it (不太好, 不够耐心).</summary>
    private static readonly HashSet<string> Negation = new(StringComparer.Ordinal) { "不", "没", "没有", "不太", "不够", "不是", "不怎么", "不算" };

    private static readonly Dictionary<string, (CommentTopic Topic, int Weight)[]> WordTopics = TopicLexicon.Topics
        .SelectMany(t => t.StrongWords.Select(w => (Word: w.ToLowerInvariant(), Topic: t, Weight: 2))
            .Concat(t.Words.Select(w => (Word: w.ToLowerInvariant(), Topic: t, Weight: 1))))
        .GroupBy(x => x.Word, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.Select(x => (x.Topic, x.Weight)).ToArray(), StringComparer.Ordinal);

    private static readonly Dictionary<string, CommentTopic> TagTopics = TopicLexicon.Topics
        .SelectMany(t => t.Tags.Select(tag => (Tag: tag.ToLowerInvariant(), Topic: t)))
        .ToDictionary(x => x.Tag, x => x.Topic, StringComparer.Ordinal);

    private static readonly Lazy<JiebaSegmenter> Segmenter = new(CreateSegmenter, LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly Lazy<Dictionary<string, CommentTopic[]>> Synonyms = new(
        () => TopicSynonyms.Load(Path.Combine(JiebaDirectory, "cn_synonym.txt"), WordTopics.Keys.ToHashSet(StringComparer.Ordinal)),
        LazyThreadSafetyMode.ExecutionAndPublication);

    private static string JiebaDirectory => Path.Combine(AppContext.BaseDirectory, "jieba");

    /// <summary>Loads jieba's dictionary and the synonyms now rather than on the first 差评 (a silo's warm-up).</summary>
    public static void Load() => _ = (Segmenter.Value, Synonyms.Value);

    /// <summary>The topic ids of a rating, best first; empty for a rating that is not a 差评.</summary>
    public static IReadOnlyList<string> Of(int level, IReadOnlyList<string>? tags, string? comment)
    {
        if (level is < 1 or > 2)
        {
            return [];
        }

        var scores = new Dictionary<string, (int Score, int First)>(StringComparer.Ordinal);
        void Add(CommentTopic topic, int weight, int position)
        {
            var (score, first) = scores.GetValueOrDefault(topic.Id, (0, int.MaxValue));
            scores[topic.Id] = (score + weight, Math.Min(first, position));
        }

        var words = Words(comment);
        for (var i = 0; i < words.Count; i++)
        {
            if (!Denied(words, i))
            {
                foreach (var (topic, weight) in TopicsIn(words[i]))
                {
                    Add(topic, weight, i);
                }
            }
        }

        foreach (var tag in tags ?? [])
        {
            if (TagTopics.TryGetValue(tag.Trim().ToLowerInvariant(), out var topic))
            {
                Add(topic, 2, words.Count);
            }
        }

        return scores.Count == 0
            ? [TopicLexicon.Other]
            : [.. scores.OrderByDescending(s => s.Value.Score).ThenBy(s => s.Value.First).Select(s => s.Key)];
    }

    /// <summary>
    /// The topics a word names: itself a lexicon word, or a compound jieba keeps whole that holds lexicon words of two
    /// characters or more (服务态度, 态度恶劣); each topic once, at its best weight.
    /// </summary>
    private static IEnumerable<(CommentTopic Topic, int Weight)> TopicsIn(string word)
    {
        if (WordTopics.TryGetValue(word, out var exact))
        {
            return exact;
        }

        if (Synonyms.Value.TryGetValue(word, out var synonym))
        {
            return synonym.Select(topic => (topic, 1));
        }

        return word.Length < 3
            ? []
            : WordTopics.Where(w => w.Key.Length >= 2 && word.Contains(w.Key, StringComparison.Ordinal))
                .SelectMany(w => w.Value)
                .GroupBy(x => x.Topic)
                .Select(g => (g.Key, g.Max(x => x.Weight)));
    }

    /// <summary>The comment cut into words by jieba (lower-case, no blanks), without the redaction placeholders.</summary>
    public static IReadOnlyList<string> Words(string? comment)
    {
        if (string.IsNullOrWhiteSpace(comment))
        {
            return [];
        }

        var text = comment.Replace(CommentRedaction.Phone, " ", StringComparison.Ordinal)
            .Replace(CommentRedaction.IdCard, " ", StringComparison.Ordinal)
            .Replace(CommentRedaction.Email, " ", StringComparison.Ordinal);
        return [.. Segmenter.Value.Cut(text).Select(w => w.Trim().ToLowerInvariant()).Where(w => w.Length > 0)];
    }

    /// <summary>
    /// A topic word denied just before it (不用排队), or praised within the two words after it in the same phrase
    /// (态度很好), unless the praise is itself negated (态度不太好).
    /// </summary>
    private static bool Denied(IReadOnlyList<string> words, int i)
    {
        if (i > 0 && Denial.Contains(words[i - 1]))
        {
            return true;
        }

        for (var j = i + 1; j <= i + 2 && j < words.Count && !words[j].All(c => char.IsPunctuation(c) || char.IsSymbol(c)); j++)
        {
            if (Praise.Contains(words[j]))
            {
                return !Negation.Contains(words[j - 1]);
            }
        }

        return false;
    }

    /// <summary>
    /// jieba reads its dictionary from files the build copies next to the assemblies (see Evaluation.Domain.csproj:
    /// the package keeps them outside lib/); the lexicon's words are added so each stays one word.
    /// </summary>
    private static JiebaSegmenter CreateSegmenter()
    {
        var directory = JiebaDirectory;
        if (!File.Exists(Path.Combine(directory, "dict.txt")))
        {
            throw new InvalidOperationException(
                $"jieba's dictionary is missing from {directory}: the build copies dict.txt, prob_emit.json, prob_trans.json and cn_synonym.txt there from the jieba.NET package.");
        }

        ConfigManager.ConfigFileBaseDir = directory;
        var segmenter = new JiebaSegmenter();
        foreach (var word in TopicLexicon.Topics.SelectMany(t => t.StrongWords.Concat(t.Words)).Where(w => w.Length > 1))
        {
            segmenter.AddWord(word);
        }

        return segmenter;
    }
}
