using Evaluation.Contracts.Grains;
using Evaluation.Contracts.Registry;
using Orleans.Concurrency;
using DomainQuery = Evaluation.Domain.Registry.InstitutionQuery;

namespace Evaluation.Grains.Registry;

/// <summary>Answers registry reads on whichever silo takes the call, from that silo's cached registry.</summary>
[StatelessWorker]
public sealed class DirectoryGrain(RegistryCache registry) : Grain, IDirectoryGrain
{
    public async Task<InstitutionPage> Search(InstitutionQuery query)
    {
        var page = (await registry.GetAsync()).Search(new DomainQuery(query.City, query.County, query.Kind, query.Service, query.Text, query.Page, query.PageSize));
        return new InstitutionPage(page.Items, page.Total, page.Page, page.PageSize);
    }

    public async Task<Institution?> Find(string institutionId) => (await registry.GetAsync()).Find(institutionId);

    public async Task<IReadOnlyList<ServiceItem>> GetServiceItems() => (await registry.GetAsync()).ServiceItems.Items;

    public async Task<IReadOnlyList<Division>> GetDivisions() => (await registry.GetAsync()).Divisions.All;
}
