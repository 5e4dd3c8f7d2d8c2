using Evaluation.Contracts.Grains;
using Evaluation.Contracts.Registry;
using Orleans.Concurrency;

namespace Evaluation.Grains.Registry;

/// <summary>Answers registry reads on whichever silo takes the call, from that silo's cached registry.</summary>
[StatelessWorker]
public sealed class DirectoryGrain(RegistryCache registry) : Grain, IDirectoryGrain
{
    public async Task<InstitutionPage> Search(InstitutionQuery query) => (await registry.GetAsync()).Search(query);

    public async Task<Institution?> Find(string institutionId) => (await registry.GetAsync()).Find(institutionId);

    public async Task<IReadOnlyList<ServiceItem>> GetServiceItems() => (await registry.GetAsync()).ServiceItems.Items;

    public async Task<IReadOnlyList<Division>> GetDivisions() => (await registry.GetAsync()).Divisions.All;
}
