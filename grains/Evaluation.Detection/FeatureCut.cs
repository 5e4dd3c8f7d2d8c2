using Evaluation.Contracts.Detection;
using Evaluation.Contracts.Grains;

namespace Evaluation.Detection;

/// <summary>
/// The consistent cut a detection run reads: every event the log had acknowledged when the run began. Cities hold
/// their institutions' reports, which may lag the log by a report period (a run right after a burst of ingest would
/// otherwise see some institutions' latest events and not others', and a second run on the same data would differ);
/// an institution whose city holds an older report than the cut is read from the institution itself instead.
/// </summary>
public static class FeatureCut
{
    /// <summary>The institutions whose held report is behind the log's acknowledged position, with that position.</summary>
    public static IReadOnlyDictionary<string, long> Behind(IReadOnlyDictionary<string, PositionedAggregate> held, IReadOnlyDictionary<string, long> acknowledged) =>
        Behind(id => held.TryGetValue(id, out var report) ? report.Position : 0, acknowledged);

    /// <summary>The same for the feature inputs computed from the held reports, which carry their reports' positions.</summary>
    public static IReadOnlyDictionary<string, long> Behind(IReadOnlyDictionary<string, FeatureInputs> held, IReadOnlyDictionary<string, long> acknowledged) =>
        Behind(id => held.TryGetValue(id, out var inputs) ? inputs.Position : 0, acknowledged);

    private static Dictionary<string, long> Behind(Func<string, long> heldPosition, IReadOnlyDictionary<string, long> acknowledged) =>
        acknowledged.Where(a => a.Value > heldPosition(a.Key)).ToDictionary(a => a.Key, a => a.Value);
}
