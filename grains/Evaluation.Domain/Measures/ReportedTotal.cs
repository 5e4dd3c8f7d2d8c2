using Evaluation.Contracts.Measures;

namespace Evaluation.Domain.Measures;

/// <summary>
/// An area's running total of its members' reports, with the log position of each member's latest, so a
/// repeated or late report never counts twice and a delta is applied only on top of the report it follows.
/// </summary>
public sealed class ReportedTotal<TMember>
    where TMember : notnull
{
    private readonly Dictionary<TMember, long> positions = [];

    public AreaTotal<TMember> Total { get; } = new();

    /// <summary>The log position of the member's report the total holds (0 when it holds none).</summary>
    public long PositionOf(TMember member) => positions.GetValueOrDefault(member);

    /// <summary>
    /// Takes a member's whole aggregate as of <paramref name="position"/> unless the total already holds one as of
    /// that position or later (a repeat or a late report); kept, not copied. Returns whether it was taken.
    /// </summary>
    public bool Accept(TMember member, long position, AggregateData aggregate)
    {
        if (positions.TryGetValue(member, out var known) && known >= position)
        {
            return false;
        }

        positions[member] = position;
        Total.Replace(member, aggregate);
        return true;
    }

    /// <summary>
    /// Applies <paramref name="delta"/> if it follows on from the report the total holds for the member; false
    /// when it does not (the total knows no report of the member, or one at another position), and the member
    /// must report its whole aggregate. A delta may leave the position as it is: pruning changes an aggregate
    /// without a new event.
    /// </summary>
    public bool Accept(TMember member, AggregateDelta delta)
    {
        if (!positions.TryGetValue(member, out var known)
            || known != delta.FromPosition
            || delta.ToPosition < delta.FromPosition)
        {
            return false;
        }

        positions[member] = delta.ToPosition;
        Total.Apply(member, delta);
        return true;
    }
}
