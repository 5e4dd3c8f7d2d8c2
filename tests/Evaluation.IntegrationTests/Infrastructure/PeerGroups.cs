using Evaluation.Contracts.Registry;
using Evaluation.Domain.Registry;

namespace Evaluation.IntegrationTests.Infrastructure;

/// <summary>Institutions for planting an underperformer that detection must find, shared by the API and browser tests.</summary>
public static class PeerGroups
{
    /// <summary>
    /// A target and peers of its kind and region, each in another city, so the target's peers are all outside its
    /// city. Tests sharing one system take different <paramref name="group"/>s so their targets do not meet.
    /// </summary>
    public static (Institution Target, IReadOnlyList<Institution> Peers) InDifferentCities(int peers, int group = 0)
    {
        var registry = InstitutionRegistry.LoadSample();
        var chosen = registry.Institutions
            .Where(i => i.Channels.Count > 0 && i.Services.Count > 0)
            .GroupBy(registry.PeerGroupOf)
            .Select(g => g.DistinctBy(i => i.CityCode).ToList())
            .Where(g => g.Count > peers)
            .ElementAt(group);
        return (chosen[0], chosen.Skip(1).Take(peers).ToList());
    }
}
