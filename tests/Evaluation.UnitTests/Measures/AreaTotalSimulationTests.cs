using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Measures;
using Evaluation.Domain.Tests.Measures;
using Xunit;

namespace Evaluation.UnitTests.Measures;

/// <summary>
/// A city's running total (<see cref="AreaTotal{TMember}"/>) against its members' random reports. Tens of seconds
/// long, so it is kept out of Evaluation.Domain.Tests, whose tests the mutation run (ops/mutation) repeats for every
/// mutant.
/// </summary>
public sealed class AreaTotalSimulationTests
{
    private static readonly DateOnly Day = new(2026, 3, 10);

    /// <summary>
    /// Members apply random ratings, exclusions and service records, days go by and members prune at random
    /// checkpoints, and after every report the running total must equal adding the members' latest aggregates up:
    /// counts exactly, handling hours within the relative 1e-9 of <see cref="Aggregation.Differences"/>. More
    /// reports than a rebuild period, so the running total is checked on both sides of a rebuild.
    /// </summary>
    [Fact]
    public void Running_total_equals_the_sum_of_the_members_latest_aggregates()
    {
        const int Members = 7;
        const int RetentionDays = 12;

        // Service-item tallies go sooner than the rest, as they do in the grains.
        const int ItemRetentionDays = 6;
        var random = new Random(20261124);
        var live = Enumerable.Range(0, Members).Select(_ => new AggregateData()).ToArray();
        var ratings = Enumerable.Range(0, Members).Select(_ => new List<LoggedEvent>()).ToArray();
        var total = new AreaTotal<int>();
        var today = Day;

        for (var report = 0; report < 6_000; report++)
        {
            if (random.Next(150) == 0)
            {
                today = today.AddDays(1);
            }

            var member = random.Next(Members);
            for (var n = random.Next(1, 6); n > 0; n--)
            {
                Aggregation.Apply(live[member], Events.Random(random, today, ratings[member]));
            }

            if (random.Next(10) == 0)
            {
                Aggregation.PruneBefore(live[member], today.AddDays(-RetentionDays));
                Aggregation.PruneServiceItemsBefore(live[member], today.AddDays(-ItemRetentionDays));
                TopicTally.PruneBefore(live[member], today.AddDays(-RetentionDays));
            }

            // What a city is handed is a copy: the member goes on applying events to its own aggregate.
            total.Replace(member, Aggregation.Clone(live[member]));

            var expected = Aggregation.Sum(total.Members.Values);
            Assert.Empty(Aggregation.Differences(expected, total.Value));
            Assert.Subset(expected.Tallies.Keys.ToHashSet(), total.Value.Tallies.Keys.ToHashSet());
        }
    }
}
