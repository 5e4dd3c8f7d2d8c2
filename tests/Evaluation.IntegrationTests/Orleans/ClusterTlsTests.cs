using System.Net;
using Evaluation.Contracts.Hosting;
using Evaluation.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Xunit;

namespace Evaluation.IntegrationTests.Orleans;

/// <summary>
/// Two silos and their clients on loopback with the cluster's mutual TLS (ClusterTls): silos talk to each
/// other and to clients holding a certificate of the cluster's CA, and to nobody else.
/// </summary>
public sealed class ClusterTlsTests : IAsyncLifetime
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(30);
    private readonly TestCertificates certificates = new();
    private readonly List<IHost> silos = [];
    private readonly int[] gatewayPorts = [LoopbackPorts.Free(), LoopbackPorts.Free()];

    public async ValueTask InitializeAsync()
    {
        var primary = new IPEndPoint(IPAddress.Loopback, LoopbackPorts.Free());
        silos.Add(await StartSiloAsync(primary.Port, gatewayPorts[0], primary, certificates.Issue("silo-1")));
        silos.Add(await StartSiloAsync(LoopbackPorts.Free(), gatewayPorts[1], primary, certificates.Issue("silo-2")));
    }

    [Fact]
    public async Task A_client_with_a_certificate_of_the_cluster_CA_reaches_both_silos()
    {
        using var client = await StartClientAsync(certificates.Issue("api"));

        // Both silos are active members only if they could talk to each other over mutual TLS.
        var hosts = await ActiveSilosAsync(client);
        Assert.Equal(2, hosts.Count);
    }

    [Fact]
    public async Task A_client_without_TLS_is_refused()
    {
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            using var client = await StartClientAsync(new TlsSettings());
            await ActiveSilosAsync(client);
        });
    }

    [Fact]
    public async Task A_client_with_a_certificate_of_another_CA_is_refused()
    {
        using var stranger = new TestCertificates("Another CA");
        var tls = stranger.Issue("intruder");

        // It even trusts the cluster's CA: what counts is who issued its own certificate.
        tls.CaPath = certificates.Issue("unused").CaPath;
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            using var client = await StartClientAsync(tls);
            await ActiveSilosAsync(client);
        });
    }

    private static Task<Dictionary<SiloAddress, SiloStatus>> ActiveSilosAsync(IHost client) =>
        client.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(Bounded);

    private static async Task<IHost> StartSiloAsync(int siloPort, int gatewayPort, IPEndPoint primary, TlsSettings tls)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort, primary, serviceId: "tls-test", clusterId: "tls-test");
            silo.UseEvaluationTls(tls);
        });
        var host = builder.Build();
        await host.StartAsync().WaitAsync(Bounded, TestContext.Current.CancellationToken);
        return host;
    }

    private async Task<IHost> StartClientAsync(TlsSettings tls)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleansClient(client =>
        {
            client.UseLocalhostClustering(gatewayPorts, serviceId: "tls-test", clusterId: "tls-test");
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(10));
            client.UseEvaluationTls(tls);
        });
        var host = builder.Build();
        try
        {
            await host.StartAsync().WaitAsync(Bounded, TestContext.Current.CancellationToken);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return host;
    }


    public async ValueTask DisposeAsync()
    {
        foreach (var silo in Enumerable.Reverse(silos))
        {
            await silo.StopAsync(TimeSpan.FromSeconds(5));
            silo.Dispose();
        }

        certificates.Dispose();
    }
}
