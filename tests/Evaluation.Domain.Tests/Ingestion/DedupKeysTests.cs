using Evaluation.Contracts.Ingestion;
using Evaluation.Domain.Ingestion;
using Xunit;

namespace Evaluation.Domain.Tests.Ingestion;

/// <summary>The logs of running systems hold these exact keys; a new shape would let old re-sends through.</summary>
public sealed class DedupKeysTests
{
    private static readonly DateTimeOffset Accepted = new(2026, 11, 24, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_rating_is_claimed_under_its_id_qualified_by_any_source_but_the_default()
    {
        var rating = new EvaluationInput("src-1", "inst", "item", "window", 5, null, null, false, null, Accepted);

        Assert.Equal("eval:src-1", DedupKeys.Of(SourceNames.Default, rating));
        Assert.Equal("eval:hotline:src-1", DedupKeys.Of("hotline", rating));
    }

    [Fact]
    public void A_record_is_claimed_once_open_and_once_done()
    {
        var open = new ServiceRecordInput("rec-1", "inst", "item", "window", Accepted, null);
        var done = open with { CompletedAt = Accepted.AddHours(3) };

        Assert.Equal("rec:rec-1:open", DedupKeys.Of(SourceNames.Default, open));
        Assert.Equal("rec:rec-1:done", DedupKeys.Of(SourceNames.Default, done));
        Assert.Equal("rec:rec-1:open", DedupKeys.OpenOf(SourceNames.Default, done));
        Assert.Equal("rec:window-a:rec-1:done", DedupKeys.Of("window-a", done));
    }
}
