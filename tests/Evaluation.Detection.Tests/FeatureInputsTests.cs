using Evaluation.Contracts.Detection;
using Evaluation.Contracts.Grains;
using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Measures;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Xunit;

namespace Evaluation.Detection.Tests;

/// <summary>
/// A detection run collects each institution's feature inputs instead of its aggregate: what crosses the grains must
/// give exactly the row the aggregate gives, and weigh far less than the aggregate.
/// </summary>
public sealed class FeatureInputsTests
{
    private static readonly ServiceProvider Services = new ServiceCollection().AddSerializer().BuildServiceProvider();
    private static readonly Serializer Serializer = Services.GetRequiredService<Serializer>();

    [Fact]
    public void A_row_from_inputs_that_crossed_the_serializer_is_the_row_of_the_aggregate()
    {
        var institution = Traffic.PeerGroup(1)[0];
        var item = institution.Services[0];
        var traffic = new Traffic()
            .Daily(days: 120, ratings: 3, bad: 1, services: 2, late: 1, hours: 7.3, item: item)
            .Ratings(age: 2, total: 9, bad: 6, channel: Channel.Online)
            .Services(age: 5, total: 4, late: 3, hours: 30.1)
            .Opened(age: 1, total: 6)
            .CalledBack(age: 4, total: 5, late: 2);

        var inputs = RoundTrip(FeatureBuilder.Inputs(traffic.Data, Traffic.Today, position: 42));
        var direct = traffic.Features(institution);
        var collected = FeatureBuilder.Build(Traffic.Registry, institution, inputs);

        Assert.Equal(42, inputs.Position);
        Assert.Equal(Enum.GetValues<FeatureWindow>().Select(w => direct[w]), Enum.GetValues<FeatureWindow>().Select(w => collected[w]));
        Assert.Equal(direct.Parts.Daily, collected.Parts.Daily);
        Assert.Equal(direct.Parts.Items, collected.Parts.Items);
        Assert.Equal(direct.Parts.Channels, collected.Parts.Channels);
        Assert.Equal(direct.Parts.Backlog, collected.Parts.Backlog);
        Assert.Equal((direct.PeerGroup, direct.LimitHours), (collected.PeerGroup, collected.LimitHours));
        Assert.Equal(6, collected.Parts.Channels[Channel.Online].Days7.Bad);
    }

    [Fact]
    public void The_inputs_of_400_days_weigh_a_fraction_of_the_aggregate()
    {
        var institution = Traffic.PeerGroup(1)[0];
        var traffic = new Traffic();
        foreach (var channel in institution.Channels)
        {
            foreach (var item in institution.Services)
            {
                traffic.Daily(days: 400, ratings: 2, bad: 0, services: 1, hours: 5, item: item, channel: channel);
            }
        }

        var aggregate = Serializer.SerializeToArray(new PositionedAggregate(traffic.Data, 1)).Length;
        var inputs = Serializer.SerializeToArray(FeatureBuilder.Inputs(traffic.Data, Traffic.Today, 1)).Length;

        Assert.True(inputs * 10 < aggregate, $"inputs {inputs} bytes against the aggregate's {aggregate}");
    }

    [Fact]
    public void Topic_lines_from_the_inputs_are_those_from_the_aggregate()
    {
        var data = new AggregateData();
        for (var i = 0; i < 8; i++)
        {
            Aggregation.Apply(data, new LoggedEvent(
                i + 1, LoggedEventKind.Evaluation, Traffic.Today.AddDays(-(i % 3)), Channel.Window, IpDomain.Patent, 1, false, 0, false,
                Topics: i % 4 == 0 ? ["attitude"] : ["waiting"]));
        }

        var signal = new Signal("inst-1", "440100", AlertReason.LowSatisfaction, true, true, AlertSeverity.Medium, 1, [new ExplanationLine("badRate", 0.5, 0.05, "d7", "近7天差评率 50.0%")]);
        var fromAggregate = TopicLines.Annotate(signal, new Dictionary<string, AggregateData> { ["inst-1"] = data }, Traffic.Today);
        var fromInputs = TopicLines.Annotate(signal, new Dictionary<string, FeatureInputs> { ["inst-1"] = RoundTrip(FeatureBuilder.Inputs(data, Traffic.Today, 8)) });

        Assert.Equal(2, fromInputs.Explanation.Count);
        Assert.Equal(fromAggregate.Explanation, fromInputs.Explanation);
    }

    private static FeatureInputs RoundTrip(FeatureInputs inputs) => Serializer.Deserialize<FeatureInputs>(Serializer.SerializeToArray(inputs))!;
}
