using Evaluation.Contracts.Detection;
using Evaluation.Contracts.Measures;
using Evaluation.Detection;

namespace Evaluation.Grains.Detection;

/// <summary>
/// The feature inputs a city last computed for each of its institutions. Detection asks every minute and most
/// institutions have no new events in between, so an institution's inputs are computed again only when its report
/// moved to another log position or the day changed: the aggregate at one position is fixed by the log, and what
/// pruning takes off it (days past retention) lies outside every window the inputs cover.
/// </summary>
public sealed class FeatureInputsCache
{
    private readonly Dictionary<string, FeatureInputs> computed = new(StringComparer.Ordinal);

    public FeatureInputs Get(string institutionId, AggregateData aggregate, long position, DateOnly today)
    {
        if (!computed.TryGetValue(institutionId, out var inputs) || inputs.Position != position || inputs.Today != today)
        {
            inputs = FeatureBuilder.Inputs(aggregate, today, position);
            computed[institutionId] = inputs;
        }

        return inputs;
    }

}
