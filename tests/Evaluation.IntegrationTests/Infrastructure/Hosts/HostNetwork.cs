namespace Evaluation.IntegrationTests.Infrastructure.Hosts;

/// <summary>
/// Hosts of their own on one machine: a private bridge <c>br-ev</c> (10.211.0.0/24, the machine being 10.211.0.1)
/// and one network namespace <c>ev-hN</c> per host at 10.211.0.(10+N). Only these test hosts are ever addressed.
/// Whatever an interrupted run left behind is removed first, and everything is removed again at the end.
/// </summary>
public sealed class HostNetwork : IAsyncDisposable
{
    public const string Bridge = "br-ev";
    public const string MachineAddress = "10.211.0.1";
    private const string NamespacePrefix = "ev-";

    private readonly List<NetworkHost> hosts = [];

    private HostNetwork()
    {
    }

    public IReadOnlyList<NetworkHost> Hosts => hosts;

    /// <summary>Why hosts of their own cannot be made here (not root, no <c>ip netns</c> or <c>nft</c>), or null when they can.</summary>
    public static async Task<string?> UnavailableAsync()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "network namespaces need Linux";
        }

        if ((await Commands.TryRunAsync("id", "-u")).Output.Trim() != "0")
        {
            return "network namespaces and nftables need root";
        }

        if ((await Commands.TryRunAsync("ip", "netns", "list")).ExitCode != 0)
        {
            return "`ip netns` is not available";
        }

        return (await Commands.TryRunAsync("nft", "--version")).ExitCode != 0
            ? "nft is not installed (ops/test installs Debian's nftables)"
            : null;
    }

    public static async Task<HostNetwork> CreateAsync()
    {
        await RemoveLeftoversAsync();
        await Commands.RunAsync("ip", "link", "add", Bridge, "type", "bridge");
        await Commands.RunAsync("ip", "addr", "add", $"{MachineAddress}/24", "dev", Bridge);
        await Commands.RunAsync("ip", "link", "set", Bridge, "up");
        return new HostNetwork();
    }

    /// <summary>Host number <paramref name="number"/> (1–200): namespace ev-hN, address 10.211.0.(10+N), its own loopback.</summary>
    public async Task<NetworkHost> AddHostAsync(int number)
    {
        var host = new NetworkHost($"{NamespacePrefix}h{number}", $"10.211.0.{10 + number}");
        var veth = $"{NamespacePrefix}v{number}";
        await Commands.RunAsync("ip", "netns", "add", host.Namespace);
        hosts.Add(host);
        await Commands.RunAsync("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", host.Namespace);
        await Commands.RunAsync("ip", "link", "set", veth, "master", Bridge, "up");
        await host.ExecAsync("ip", "addr", "add", $"{host.Address}/24", "dev", "eth0");
        await host.ExecAsync("ip", "link", "set", "eth0", "up");
        await host.ExecAsync("ip", "link", "set", "lo", "up");
        return host;
    }

    public async ValueTask DisposeAsync() => await RemoveLeftoversAsync();

    /// <summary>Every ev-* namespace (with any process still in it) and the bridge.</summary>
    private static async Task RemoveLeftoversAsync()
    {
        var names = (await Commands.TryRunAsync("ip", "netns", "list")).Output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ')[0])
            .Where(name => name.StartsWith(NamespacePrefix, StringComparison.Ordinal));
        foreach (var name in names)
        {
            // A namespace lives on while a process is in it; the processes are the test's own hosts.
            foreach (var pid in (await Commands.TryRunAsync("ip", "netns", "pids", name)).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                await Commands.TryRunAsync("kill", "-KILL", pid);
            }

            await Commands.TryRunAsync("ip", "netns", "del", name);
        }

        if ((await Commands.TryRunAsync("ip", "link", "show", Bridge)).ExitCode == 0)
        {
            await Commands.RunAsync("ip", "link", "del", Bridge);
        }
    }
}
