using System.Net;
using System.Net.Sockets;

namespace Evaluation.IntegrationTests.Infrastructure;

/// <summary>Ports for servers a test starts itself (silos, PostgreSQL, SMTP, Prometheus), free on loopback when asked.</summary>
internal static class LoopbackPorts
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
