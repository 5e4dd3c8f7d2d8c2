using Evaluation.IntegrationTests.Infrastructure.Hosts;

namespace Evaluation.IntegrationTests.Nemesis;

/// <summary>
/// One fault of the nemesis: what it does to the hosts, how long it holds, and what besides flushing every rule
/// undoes it. Victims are chosen by the seeded random the schedule gives.
/// </summary>
public sealed record Fault(string Name, TimeSpan Hold, Func<NamespacedSystem, Random, Task<Func<Task>>> InjectAsync)
{
    private static readonly Func<Task> NothingMore = () => Task.CompletedTask;

    /// <summary>
    /// Orleans' default membership declares a silo dead after about three missed probes of 5 s each (and two votes);
    /// pauses and partitions hold past that, so the cluster really moves on without the victim.
    /// </summary>
    private static readonly TimeSpan PastMembershipTimeout = TimeSpan.FromSeconds(25);

    public static IReadOnlyList<Fault> All { get; } =
    [
        new("silo↔silo partition (symmetric)", PastMembershipTimeout, async (system, random) =>
        {
            var victim = Pick(system.SiloHosts, random);
            foreach (var other in system.SiloHosts.Where(s => s != victim))
            {
                await victim.Host.CutAsync(other.Host.Address);
                await other.Host.CutAsync(victim.Host.Address);
            }

            return NothingMore;
        }),
        new("silo→silo partition (one-way)", TimeSpan.FromSeconds(15), async (system, random) =>
        {
            var victim = Pick(system.SiloHosts, random);
            await victim.Host.CutAsync(Pick(system.SiloHosts.Where(s => s != victim).ToList(), random).Host.Address);
            return NothingMore;
        }),
        new("silo↔PostgreSQL partition", TimeSpan.FromSeconds(15), async (system, random) =>
        {
            await Pick(system.SiloHosts, random).Host.CutAsync(HostNetwork.MachineAddress, system.PostgresPort);
            return NothingMore;
        }),
        new("API↔one silo partition", TimeSpan.FromSeconds(15), async (system, random) =>
        {
            var api = Pick(system.ApiHosts, random);
            var silo = Pick(system.SiloHosts, random);
            await api.Host.CutAsync(silo.Host.Address);
            await silo.Host.CutAsync(api.Host.Address);
            return NothingMore;
        }),
        new("packet loss 30 % (one silo)", TimeSpan.FromSeconds(15), async (system, random) =>
        {
            await Pick(system.SiloHosts, random).Host.LoseAsync(30);
            return NothingMore;
        }),
        new("process pause past membership timeout", PastMembershipTimeout, async (system, random) =>
        {
            var victim = Pick(system.SiloHosts, random);
            await victim.PauseAsync();
            return victim.ResumeAsync;
        }),
        new("clock offset +10 min (one silo)", TimeSpan.FromSeconds(15), async (system, random) =>
        {
            // The offset is the silo's TimeProvider (Evaluation:ClockOffset); setting it means starting that silo again.
            var victim = Pick(system.SiloHosts, random);
            await victim.KillAsync();
            victim.Start(new Dictionary<string, string> { ["Evaluation__ClockOffset"] = "00:10:00" });
            await victim.WaitForPortAsync(NamespacedSystem.GatewayPort, TimeSpan.FromSeconds(120));
            return async () =>
            {
                await victim.KillAsync();
                victim.Start();
                await victim.WaitForPortAsync(NamespacedSystem.GatewayPort, TimeSpan.FromSeconds(120));
            };
        }),
    ];

    /// <summary>Two different network faults at once, chosen and aimed by the seeded random, held as long as the longer.</summary>
    public static Fault Combined { get; } = new("combination of two (seeded)", PastMembershipTimeout, async (system, random) =>
    {
        var network = All.Take(5).OrderBy(_ => random.Next()).Take(2).ToList();
        var undo = new List<Func<Task>>();
        foreach (var fault in network)
        {
            undo.Add(await fault.InjectAsync(system, random));
        }

        return async () =>
        {
            foreach (var step in undo)
            {
                await step();
            }
        };
    });

    public static Fault Named(string name) => All.Append(Combined).Single(f => f.Name == name);

    private static T Pick<T>(IReadOnlyList<T> hosts, Random random) => hosts[random.Next(hosts.Count)];
}
