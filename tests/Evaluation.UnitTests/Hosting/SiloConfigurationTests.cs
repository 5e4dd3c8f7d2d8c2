using System.Net;
using Evaluation.Grains.Hosting;
using Evaluation.IntegrationTests.Infrastructure;
using Evaluation.Silo;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace Evaluation.UnitTests.Hosting;

public sealed class SiloConfigurationTests : IDisposable
{
    private readonly TestCertificates certificates = new();

    private static readonly string ContactKey = Convert.ToBase64String(new byte[32]);

    /// <summary>What the silo Deployment in ops/kubernetes gives each pod.</summary>
    private static readonly Dictionary<string, string> Pod = new()
    {
        ["POD_NAME"] = "evaluation-silo-7d9c5b8f6-x2x4q",
        ["POD_NAMESPACE"] = "evaluation",
        ["POD_IP"] = "10.244.1.17",
        ["ORLEANS_SERVICE_ID"] = "evaluation",
        ["ORLEANS_CLUSTER_ID"] = "evaluation",
    };

    [Fact]
    public void Kubernetes_mode_is_read_from_the_Evaluation_section()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Evaluation:Kubernetes"] = "true", ["Evaluation:ContactKey"] = ContactKey })
            .Build();

        Assert.True(SiloConfiguration.Read(configuration).Kubernetes);
    }

    [Fact]
    public void A_pod_with_the_downward_API_variables_starts()
    {
        Assert.Empty(SiloConfiguration.Problems(Kubernetes(), Lookup(Pod)));
    }

    [Fact]
    public void Outside_Kubernetes_mode_the_pod_variables_are_not_needed()
    {
        Assert.Empty(SiloConfiguration.Problems(new EvaluationSettings { ContactKey = ContactKey }, Lookup([])));
    }

    [Theory]
    [InlineData("k-1", null)]
    [InlineData("k1", "k1")]
    [InlineData("k2", "k1")]
    public void A_contact_key_id_is_a_plain_word_and_every_retired_key_is_32_bytes(string keyId, string? retiredId)
    {
        var settings = new EvaluationSettings { ContactKey = ContactKey, ContactKeyId = keyId };
        if (retiredId is not null)
        {
            settings.RetiredContactKeys[retiredId] = retiredId == keyId ? ContactKey : "c2hvcnQ=";
        }

        var problem = Assert.Single(SiloConfiguration.Problems(settings, Lookup([])));
        Assert.Contains("Contact", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Kubernetes_mode_refuses_in_memory_mode()
    {
        var settings = Kubernetes();
        settings.InMemory = true;

        var problem = Assert.Single(SiloConfiguration.Problems(settings, Lookup(Pod)));
        Assert.Contains("--in-memory", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_pod_variables_are_named_in_one_sentence()
    {
        var partial = Pod.Where(p => p.Key is not ("POD_NAME" or "POD_NAMESPACE")).ToDictionary();

        var problem = Assert.Single(SiloConfiguration.Problems(Kubernetes(), Lookup(partial)));
        Assert.Contains("missing: POD_NAME, POD_NAMESPACE.", problem, StringComparison.Ordinal);
        Assert.Contains("ops/kubernetes/silo.yaml", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pod_IP_that_is_not_an_address_is_refused()
    {
        var pod = new Dictionary<string, string>(Pod) { ["POD_IP"] = "status.podIP" };

        var problem = Assert.Single(SiloConfiguration.Problems(Kubernetes(), Lookup(pod)));
        Assert.StartsWith("POD_IP 'status.podIP' is not an IP address", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cluster_label_that_differs_from_the_configured_cluster_is_refused()
    {
        // API hosts would look for silos under Evaluation:ClusterId and find none.
        var pod = new Dictionary<string, string>(Pod) { ["ORLEANS_CLUSTER_ID"] = "evaluation-blue" };

        var problem = Assert.Single(SiloConfiguration.Problems(Kubernetes(), Lookup(pod)));
        Assert.Contains("orleans/clusterId (ORLEANS_CLUSTER_ID=evaluation-blue) differs from Evaluation:ClusterId (evaluation)", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Kubernetes_mode_refuses_to_start_without_cluster_TLS()
    {
        var settings = Kubernetes();
        settings.Tls = new();

        var problem = Assert.Single(SiloConfiguration.Problems(settings, Lookup(Pod)));
        Assert.Contains("Evaluation:Tls", problem);
    }

    [Fact]
    public void TLS_settings_name_all_three_files_and_a_certificate_of_that_CA()
    {
        var settings = Kubernetes();
        settings.Tls.KeyPath = null;
        Assert.Contains(SiloConfiguration.Problems(settings, Lookup(Pod)), p => p.Contains("Evaluation:Tls:KeyPath"));

        using var otherCa = new TestCertificates("Another CA");
        settings.Tls = otherCa.Issue("silo");
        settings.Tls.CaPath = certificates.Issue("unused").CaPath;
        var problem = Assert.Single(SiloConfiguration.Problems(settings, Lookup(Pod)));
        Assert.Contains("not issued by the CA", problem);
    }

    [Fact]
    public void A_silo_outside_Kubernetes_listens_and_is_reached_on_loopback_unless_told_otherwise()
    {
        Assert.Equal((IPAddress.Loopback, IPAddress.Loopback), new EvaluationSettings().Addresses());
    }

    [Fact]
    public void A_silo_on_a_host_of_its_own_binds_the_address_it_advertises_unless_given_another()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Evaluation:AdvertisedAddress"] = "10.211.0.11", ["Evaluation:ContactKey"] = ContactKey })
            .Build();
        var settings = SiloConfiguration.Read(configuration);

        Assert.Empty(SiloConfiguration.Problems(settings, Lookup([])));
        Assert.Equal((IPAddress.Parse("10.211.0.11"), IPAddress.Parse("10.211.0.11")), settings.Addresses());
        settings.BindAddress = "0.0.0.0";
        Assert.Empty(SiloConfiguration.Problems(settings, Lookup([])));
        Assert.Equal((IPAddress.Parse("10.211.0.11"), IPAddress.Any), settings.Addresses());
    }

    [Theory]
    [InlineData("10.211.0", null, "AdvertisedAddress '10.211.0' is not an IP address")]
    [InlineData("0.0.0.0", null, "cannot be 0.0.0.0")]
    [InlineData(null, "silo-1", "BindAddress 'silo-1' is not an IP address")]
    [InlineData(null, "0.0.0.0", "needs Evaluation:AdvertisedAddress")]
    public void An_address_no_host_could_reach_is_refused_at_start(string? advertised, string? bind, string expected)
    {
        var settings = new EvaluationSettings { ContactKey = ContactKey, AdvertisedAddress = advertised, BindAddress = bind };

        Assert.Contains(expected, Assert.Single(SiloConfiguration.Problems(settings, Lookup([]))), StringComparison.Ordinal);
    }

    [Fact]
    public void Addresses_are_not_combined_with_Kubernetes_or_in_memory_mode()
    {
        var settings = Kubernetes();
        settings.AdvertisedAddress = "10.211.0.11";
        Assert.Contains("AdvertisedAddress", Assert.Single(SiloConfiguration.Problems(settings, Lookup(Pod))), StringComparison.Ordinal);

        var inMemory = new EvaluationSettings { InMemory = true, ContactKey = ContactKey, BindAddress = "10.211.0.11" };
        Assert.Contains("--in-memory", Assert.Single(SiloConfiguration.Problems(inMemory, Lookup([]))), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.00:00:01")]
    [InlineData("-2.00:00:00")]
    public void A_clock_offset_beyond_a_day_is_refused(string offset)
    {
        var settings = new EvaluationSettings { ContactKey = ContactKey, ClockOffset = TimeSpan.Parse(offset, System.Globalization.CultureInfo.InvariantCulture) };

        Assert.Contains("ClockOffset", Assert.Single(SiloConfiguration.Problems(settings, Lookup([]))), StringComparison.Ordinal);
    }

    [Fact]
    public void A_clock_offset_shifts_the_wall_clock_only()
    {
        var shifted = new OffsetTimeProvider(TimeSpan.FromMinutes(-2));

        var difference = TimeProvider.System.GetUtcNow() - shifted.GetUtcNow();
        Assert.InRange(difference, TimeSpan.FromMinutes(2) - TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(5));
        Assert.Equal(TimeProvider.System.TimestampFrequency, shifted.TimestampFrequency);
    }

    public void Dispose() => certificates.Dispose();

    private EvaluationSettings Kubernetes() => new() { Kubernetes = true, ContactKey = ContactKey, Tls = certificates.Issue("silo") };

    private static Func<string, string?> Lookup(Dictionary<string, string> variables) =>
        name => variables.GetValueOrDefault(name);
}
