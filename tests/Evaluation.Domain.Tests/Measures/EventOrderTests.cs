using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Measures;
using Xunit;

namespace Evaluation.Domain.Tests.Measures;

public sealed class EventOrderTests
{
    [Fact]
    public void A_later_batch_waits_for_the_earlier_one_and_then_both_come_out_in_order()
    {
        var order = new EventOrder();
        Assert.Empty(order.Accept(Events(4, 6), position: 0));
        Assert.Equal(3, order.Waiting);

        Assert.Equal([1L, 2, 3, 4, 5, 6], order.Accept(Events(1, 3), position: 0).Select(e => e.Position));
        Assert.Equal(0, order.Waiting);
    }

    [Fact]
    public void Repeats_and_events_already_applied_are_dropped()
    {
        var order = new EventOrder();
        Assert.Equal([6L], order.Accept([.. Events(3, 6), .. Events(5, 6)], position: 5).Select(e => e.Position));
        Assert.Empty(order.Accept(Events(1, 6), position: 6));
        Assert.Equal(0, order.Waiting);
    }

    [Fact]
    public void What_the_log_returns_for_a_gap_releases_the_events_held_behind_it()
    {
        var order = new EventOrder();
        order.Accept(Events(8, 9), position: 2);

        // The grain read positions 3..7 from the log (3..9 in fact: the log has the held ones too).
        Assert.Equal([3L, 4, 5, 6, 7, 8, 9], order.Accept(Events(3, 9), position: 2).Select(e => e.Position));
        Assert.Equal(0, order.Waiting);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Batches_in_any_order_with_repeats_give_every_position_once_in_order(int seed)
    {
        var random = new Random(seed);
        var batches = new List<LoggedEvent[]>();
        for (var from = 1; from <= 500; from += 10)
        {
            batches.Add(Events(from, from + 9));
        }

        // Deliveries race, and a retried delivery may repeat a batch.
        var deliveries = batches.Concat(batches.Where(_ => random.Next(4) == 0)).OrderBy(_ => random.Next()).ToList();
        var order = new EventOrder();
        var applied = new List<long>();
        foreach (var batch in deliveries)
        {
            applied.AddRange(order.Accept(batch.OrderBy(_ => random.Next()), applied.Count).Select(e => e.Position));
        }

        Assert.Equal(Enumerable.Range(1, 500).Select(p => (long)p), applied);
        Assert.Equal(0, order.Waiting);
    }

    private static LoggedEvent[] Events(int from, int to) =>
        [.. Enumerable.Range(from, to - from + 1).Select(p => new LoggedEvent(p, LoggedEventKind.Evaluation, new DateOnly(2026, 11, 25),
            Channel.Window, IpDomain.Patent, 5, false, 0, false))];
}
