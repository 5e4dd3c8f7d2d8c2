using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Measures;
using Evaluation.Domain.Tests.Measures;
using Xunit;

namespace Evaluation.UnitTests.Measures;

/// <summary>
/// The report protocol between institutions and their city (<see cref="ReportedTotal{TMember}"/>), played out at
/// random. Tens of seconds long, so it is kept out of Evaluation.Domain.Tests, whose tests the mutation run
/// (ops/mutation) repeats for every mutant.
/// </summary>
public sealed class ReportedTotalSimulationTests
{
    private static readonly DateOnly Day = new(2026, 3, 10);

    /// <summary>
    /// Members apply random events and prune at random; they report as the institution grain does, through
    /// <see cref="UnreportedChanges"/>. Reports get lost on the way, get through with the answer lost, arrive again
    /// late and out of order, and the city re-activates and asks its members for their aggregates. After every
    /// step the total must equal the sum of the city's copies, and the copy of every member with nothing left to
    /// report must equal that member's aggregate; at the end, once every member got through, the total must equal
    /// the sum of the members' aggregates.
    /// </summary>
    [Fact]
    public void Deltas_and_whole_reports_keep_the_total_equal_to_the_sum_of_the_members()
    {
        const int Members = 6;
        const int RetentionDays = 12;

        // Service-item tallies go sooner than the rest, as they do in the grains.
        const int ItemRetentionDays = 6;
        var random = new Random(20261125);
        var live = Enumerable.Range(0, Members).Select(_ => new AggregateData()).ToArray();
        var positions = new long[Members];
        var ratings = Enumerable.Range(0, Members).Select(_ => new List<LoggedEvent>()).ToArray();
        var changes = Enumerable.Range(0, Members).Select(_ => new UnreportedChanges()).ToArray();
        var sent = new List<(int Member, Func<ReportedTotal<int>, bool> Deliver)>();
        var city = new ReportedTotal<int>();
        var today = Day;
        var (deltas, wholes, refused) = (0, 0, 0);

        // Reports as InstitutionGrain.ReportAsync does; a call fails before or after the city took it.
        bool Report(int member, bool mayFail)
        {
            bool Call(Func<ReportedTotal<int>, bool> deliver)
            {
                sent.Add((member, deliver));
                var lostOnTheWay = mayFail && random.Next(12) == 0;
                var answer = !lostOnTheWay && deliver(city);
                return mayFail && random.Next(12) == 0 || lostOnTheWay
                    ? throw new TimeoutException()
                    : answer;
            }

            var delta = changes[member].TakeDelta(live[member], positions[member]);
            try
            {
                if (delta is not null && Call(c => c.Accept(member, delta)))
                {
                    deltas++;
                    changes[member].Acknowledged(delta.ToPosition);
                    return true;
                }

                if (delta is not null)
                {
                    refused++;
                    changes[member].NotTaken(delta);
                }

                var (position, whole) = (positions[member], Aggregation.Clone(live[member]));
                Call(c => c.Accept(member, position, whole) || true);
                wholes++;
                changes[member].Acknowledged(position);
                return true;
            }
            catch (TimeoutException)
            {
                if (delta is not null)
                {
                    changes[member].NotTaken(delta);
                }

                changes[member].Failed();
                return false;
            }
        }

        void Check()
        {
            Assert.Empty(Aggregation.Differences(Aggregation.Sum(city.Total.Members.Values), city.Total.Value));
            for (var member = 0; member < Members; member++)
            {
                if (!changes[member].Pending)
                {
                    Assert.Empty(Aggregation.Differences(live[member], city.Total.Members[member]));
                }
            }
        }

        for (var step = 0; step < 8_000; step++)
        {
            if (random.Next(150) == 0)
            {
                today = today.AddDays(1);
            }

            var member = random.Next(Members);
            for (var n = random.Next(4); n > 0; n--)
            {
                var e = Events.Random(random, today, ratings[member]) with { Position = ++positions[member] };
                Aggregation.Apply(live[member], e);
                changes[member].Changed(e);
            }

            if (random.Next(15) == 0)
            {
                changes[member].Changed(Aggregation.PruneBefore(live[member], today.AddDays(-RetentionDays)));
                changes[member].Changed(Aggregation.PruneServiceItemsBefore(live[member], today.AddDays(-ItemRetentionDays)));
                changes[member].TopicsChanged(TopicTally.PruneBefore(live[member], today.AddDays(-RetentionDays)));
            }

            if (changes[member].Pending && random.Next(3) > 0)
            {
                Report(member, mayFail: true);
            }

            // A report delivered again, late: it must change nothing the members' later reports did.
            if (sent.Count > 0 && random.Next(20) == 0)
            {
                sent[random.Next(sent.Count)].Deliver(city);
            }

            // A re-activated city knows nothing and asks each member for its aggregate and position.
            if (random.Next(400) == 0)
            {
                city = new ReportedTotal<int>();
                for (var m = 0; m < Members; m++)
                {
                    city.Accept(m, positions[m], Aggregation.Clone(live[m]));
                }
            }

            Check();
        }

        for (var member = 0; member < Members; member++)
        {
            while (changes[member].Pending)
            {
                Report(member, mayFail: false);
            }
        }

        Check();
        Assert.Empty(Aggregation.Differences(Aggregation.Sum(live), city.Total.Value));
        Assert.True(deltas > 1_000 && wholes > 100 && refused > 0, $"{deltas} deltas, {wholes} whole reports, {refused} refused");
    }
}
