using Evaluation.IntegrationTests.Infrastructure.Hosts;

namespace Evaluation.IntegrationTests.Nemesis;

/// <summary>
/// One fault of the nemesis: what it does to the hosts, how long it holds, and what besides flushing every rule
/// undoes it. Victims are chosen by the seeded random the schedule gives.
/// </summary>
public sealed record Fault(string Name, TimeSpan Hold, Func<NamespacedSystem, Random, Task<Injected>> InjectAsync)
{
    private static readonly Func<Task> NothingMore = () => Task.CompletedTask;

    /// <summary>
    /// A pause or a partition that must outlast the membership timeout holds until the other silos have declared the
    /// victim dead (Orleans' defaults: three missed 5 s probes and two votes, slower on a busy machine), at most this long.
    /// </summary>
    public static readonly TimeSpan PastMembershipTimeout = TimeSpan.FromSeconds(45);

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

            return new Injected(NothingMore, MustBeDeclaredDead: victim);
        }),
        new("silo→silo partition (one-way)", TimeSpan.FromSeconds(15), async (system, random) =>
        {
            var victim = Pick(system.SiloHosts, random);
            await victim.Host.CutAsync(Pick(system.SiloHosts.Where(s => s != victim).ToList(), random).Host.Address);
            return new Injected(NothingMore);
        }),
        new("silo↔PostgreSQL partition", TimeSpan.FromSeconds(15), async (system, random) =>
        {
            await Pick(system.SiloHosts, random).Host.CutAsync(HostNetwork.MachineAddress, system.PostgresPort);
            return new Injected(NothingMore);
        }),
        new("API↔one silo partition", TimeSpan.FromSeconds(15), async (system, random) =>
        {
            var api = Pick(system.ApiHosts, random);
            var silo = Pick(system.SiloHosts, random);
            await api.Host.CutAsync(silo.Host.Address);
            await silo.Host.CutAsync(api.Host.Address);
            return new Injected(NothingMore);
        }),
        new("packet loss 30 % (one silo)", TimeSpan.FromSeconds(15), async (system, random) =>
        {
            await Pick(system.SiloHosts, random).Host.LoseAsync(30);
            return new Injected(NothingMore);
        }),
        new("process pause past membership timeout", PastMembershipTimeout, async (system, random) =>
        {
            var victim = Pick(system.SiloHosts, random);
            await victim.PauseAsync();
            return new Injected(victim.ResumeAsync, MustBeDeclaredDead: victim);
        }),
        new("clock offset +10 min (one silo)", TimeSpan.FromSeconds(15), async (system, random) =>
        {
            // The offset is the silo's TimeProvider (Evaluation:ClockOffset); setting it means starting that silo again.
            var victim = Pick(system.SiloHosts, random);
            await victim.KillAsync();
            victim.Start(new Dictionary<string, string> { ["Evaluation__ClockOffset"] = "00:10:00" });
            await victim.WaitForPortAsync(NamespacedSystem.GatewayPort, TimeSpan.FromSeconds(120));
            return new Injected(async () =>
            {
                await victim.KillAsync();
                victim.Start();
                await victim.WaitForPortAsync(NamespacedSystem.GatewayPort, TimeSpan.FromSeconds(120));
            });
        }),
    ];

    /// <summary>Two different network faults at once, chosen and aimed by the seeded random, held as long as the longer.</summary>
    public static Fault Combined { get; } = new("combination of two (seeded)", TimeSpan.FromSeconds(15), async (system, random) =>
    {
        var network = All.Take(5).OrderBy(_ => random.Next()).Take(2).ToList();
        var injected = new List<Injected>();
        foreach (var fault in network)
        {
            injected.Add(await fault.InjectAsync(system, random));
        }

        return new Injected(
            async () =>
            {
                foreach (var step in injected)
                {
                    await step.Undo();
                }
            },
            injected.Select(i => i.MustBeDeclaredDead).FirstOrDefault(v => v is not null));
    });

    public static Fault Named(string name) => All.Append(Combined).Single(f => f.Name == name);

    private static T Pick<T>(IReadOnlyList<T> hosts, Random random) => hosts[random.Next(hosts.Count)];
}

/// <summary>What a fault did: how to undo it beyond flushing the rules, and the silo it must hold until declared dead, if any.</summary>
public sealed record Injected(Func<Task> Undo, HostProcess? MustBeDeclaredDead = null);
