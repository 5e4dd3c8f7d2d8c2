using Evaluation.Contracts.Grains;
using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;

namespace Evaluation.Grains.Areas;

/// <summary>
/// Keeps the province's peer priors for a while, so reading an institution does not call the one
/// province grain every time: priors move slowly, reads are many.
/// </summary>
public sealed class PeerPriorCache(IGrainFactory grains, TimeSpan lifetime)
{
    private PeerPriorTable? table;
    private DateTimeOffset fetchedAt;

    public async Task<PeerPrior> GetAsync(InstitutionKind kind, Region? region, DateTimeOffset now)
    {
        if (table is null || now - fetchedAt > lifetime)
        {
            table = await grains.GetGrain<IProvinceGrain>(ProvinceGrain.Key).GetPeerPriors();
            fetchedAt = now;
        }

        return region is { } r ? table.For(kind, r) : table.Province;
    }
}
