using Evaluation.Domain.Comments;
using Xunit;

namespace Evaluation.Domain.Tests.Comments;

/// <summary>The thesaurus read on a small file in its format: "code= word word …" for words of one meaning.</summary>
public sealed class TopicSynonymsTests : IDisposable
{
    private readonly string path = Path.GetTempFileName();

    public void Dispose() => File.Delete(path);

    [Fact]
    public void A_word_sharing_a_meaning_with_a_lexicon_word_of_two_characters_or_more_takes_its_topics()
    {
        File.WriteAllLines(path,
        [
            "Ab01A01= 冷漠 冷淡 淡",      // 冷漠 is an attitude word; 淡, a single character, is no synonym
            "Ab01A02# 冷漠 疏远",         // '#' marks related words, not synonyms
            "Ab01A03= 等候 守候 冷淡",    // 冷淡 now also takes waiting
            "Ab01A04= 等待 期待",         // 等待 is a plain (not a strong) waiting word
            "Ab01A05= 等 等于",           // 等 is a waiting word of one character: it names nothing
            "Ab01A06= 无关 其他",         // no lexicon word on the line
            "Ab01A07= 冷漠  \t漠然 ",     // spaces and a tab around the words
            "a line without a code",
        ]);

        var synonyms = TopicSynonyms.Load(path, new HashSet<string>(["冷漠", "等候", "等待", "等"], StringComparer.Ordinal));

        Assert.Equal(["冷淡", "守候", "期待", "漠然"], synonyms.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.Equal(["attitude", "waiting"], synonyms["冷淡"].Select(t => t.Id).Order(StringComparer.Ordinal));
        Assert.Equal(["waiting"], synonyms["守候"].Select(t => t.Id));
        Assert.Equal(["waiting"], synonyms["期待"].Select(t => t.Id));
        Assert.Equal(["attitude"], synonyms["漠然"].Select(t => t.Id));
    }
}
