using Evaluation.Contracts.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Polly.Timeout;
using Xunit;

namespace Evaluation.UnitTests.Hosting;

/// <summary>A placement timeout must reach the API host as the timeout it is, so the host answers 503, not 500.</summary>
public sealed class ClusterExceptionsTests
{
    private static Exception PlacementTimeout() =>
        new TimeoutException("Grain placement operation timed out for grain ingest/0.", new TimeoutRejectedException("The operation didn't complete within the allowed timeout."));

    [Fact]
    public void A_placement_timeout_crosses_the_wire_as_a_timeout()
    {
        var serializer = Serializer(services => services.AddClusterExceptionTypes());

        var received = serializer.Deserialize<Exception>(serializer.SerializeToArray<Exception>(PlacementTimeout()));

        Assert.IsType<TimeoutException>(received);
        Assert.Contains("placement", received.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_the_extra_namespace_the_answer_cannot_be_written()
    {
        var serializer = Serializer(_ => { });

        Assert.ThrowsAny<CodecNotFoundException>(() => serializer.SerializeToArray<Exception>(PlacementTimeout()));
    }

    private static Serializer Serializer(Action<IServiceCollection> configure)
    {
        var services = new ServiceCollection();
        services.AddSerializer();
        configure(services);
        return services.BuildServiceProvider().GetRequiredService<Serializer>();
    }
}
