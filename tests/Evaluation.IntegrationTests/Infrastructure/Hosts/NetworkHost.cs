namespace Evaluation.IntegrationTests.Infrastructure.Hosts;

/// <summary>
/// One host of a <see cref="HostNetwork"/>: a network namespace with its own address. Faults are nftables rules on
/// what the host sends (a cut, a port cut, random loss); <see cref="HealAsync"/> removes them all.
/// </summary>
public sealed record NetworkHost(string Namespace, string Address)
{
    private const string Table = "inet nemesis";

    /// <summary>Runs a command inside the host's namespace.</summary>
    public Task<string> ExecAsync(string file, params string[] args) => Commands.RunAsync("ip", ["netns", "exec", Namespace, file, .. args]);

    /// <summary>Nothing this host sends to <paramref name="address"/> (on <paramref name="port"/> only, if given) arrives.</summary>
    public Task CutAsync(string address, int? port = null) => AddRuleAsync($"ip daddr {address}{(port is { } p ? $" tcp dport {p}" : "")} drop");

    /// <summary>About <paramref name="percent"/> % of what this host sends (to <paramref name="address"/>, if given) is dropped at random.</summary>
    public Task LoseAsync(int percent, string? address = null) =>
        AddRuleAsync($"{(address is null ? "" : $"ip daddr {address} ")}numgen random mod 100 < {percent} drop");

    public Task HealAsync() => ExecAsync("nft", "flush", "ruleset");

    private async Task AddRuleAsync(string rule)
    {
        // "add" of an existing table or chain changes nothing, so rules accumulate until the heal.
        var script = Path.GetTempFileName();
        await File.WriteAllTextAsync(script, $$"""
            add table {{Table}}
            add chain {{Table}} out { type filter hook output priority 0; policy accept; }
            add rule {{Table}} out {{rule}}
            """);
        try
        {
            await ExecAsync("nft", "-f", script);
        }
        finally
        {
            File.Delete(script);
        }
    }
}
