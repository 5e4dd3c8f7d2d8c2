using Evaluation.Contracts.Ingestion;

namespace Evaluation.Domain.Measures;

/// <summary>
/// Puts an institution's events back in log order. Concurrent ingest batches commit in position order but
/// race to deliver, so a later batch often arrives first; holding it until the earlier one comes is far
/// cheaper than reading the log for a gap that fills itself a few milliseconds later.
/// </summary>
public sealed class EventOrder
{
    private readonly SortedDictionary<long, LoggedEvent> early = [];

    /// <summary>Events held back because an earlier position has not arrived.</summary>
    public int Waiting => early.Count;

    /// <summary>
    /// Takes delivered events and answers those that follow <paramref name="position"/> without a gap, in order.
    /// Repeats and anything at or before <paramref name="position"/> are dropped; later events wait for the gap.
    /// </summary>
    public IReadOnlyList<LoggedEvent> Accept(IEnumerable<LoggedEvent> delivered, long position)
    {
        var ready = new List<LoggedEvent>();
        foreach (var e in delivered)
        {
            // The usual case, and the whole of a log read (a million events replayed after a crash): the next
            // event with none held back. Only the rest goes through the sorted set, which cost half a second a million.
            if (early.Count == 0 && e.Position == position + 1)
            {
                ready.Add(e);
                position = e.Position;
            }
            else if (e.Position > position)
            {
                early.TryAdd(e.Position, e);
            }
        }

        while (early.Count > 0)
        {
            var (first, e) = early.First();
            if (first > position + 1)
            {
                break;
            }

            early.Remove(first);
            if (first == position + 1)
            {
                ready.Add(e);
                position = first;
            }
        }

        return ready;
    }
}
