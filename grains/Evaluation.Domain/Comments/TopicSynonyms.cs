namespace Evaluation.Domain.Comments;

/// <summary>
/// Widens the lexicon with the synonym thesaurus jieba.NET ships (cn_synonym.txt, HIT 同义词词林 extended: lines of
/// "code= word word …", where "=" marks words of one meaning): a word sharing such a line with a lexicon word of
/// two characters or more names that word's topic, at the weight of a plain word. So 冷淡 reads as attitude for
/// 冷漠 and 等候 as waiting for 守候, without the lexicon listing every way of saying it.
/// </summary>
internal static class TopicSynonyms
{
    public static Dictionary<string, CommentTopic[]> Load(string path, IReadOnlySet<string> lexiconWords)
    {
        var topicsOf = TopicLexicon.Topics
            .SelectMany(t => t.StrongWords.Concat(t.Words).Where(w => w.Length >= 2).Select(w => (Word: w, Topic: t)))
            .GroupBy(x => x.Word, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Topic).Distinct().ToArray(), StringComparer.Ordinal);
        var synonyms = new Dictionary<string, HashSet<CommentTopic>>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(path))
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                continue;
            }

            var words = line[(equals + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var topics = words.SelectMany(w => topicsOf.GetValueOrDefault(w) ?? []).Distinct().ToList();
            foreach (var word in topics.Count == 0 ? [] : words.Where(w => w.Length >= 2 && !lexiconWords.Contains(w)))
            {
                if (!synonyms.TryGetValue(word, out var set))
                {
                    synonyms[word] = set = [];
                }

                set.UnionWith(topics);
            }
        }

        return synonyms.ToDictionary(s => s.Key, s => s.Value.ToArray(), StringComparer.Ordinal);
    }
}
