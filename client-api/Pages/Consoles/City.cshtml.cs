using Evaluation.ClientApi.Apis;
using Evaluation.ClientApi.Application;
using Evaluation.ClientApi.Security;
using Evaluation.Contracts.Cases;
using Evaluation.Contracts.Grains;
using Evaluation.Contracts.Measures;
using Microsoft.AspNetCore.Mvc;

namespace Evaluation.ClientApi.Pages.Consoles;

/// <summary>
/// A city officer's console: the city's 差评 queue, own live alerts, audits and institutions. A supervisor may
/// open any city's, read-only: the queue only links to follow-ups, where each role sees its own steps.
/// </summary>
public sealed class CityConsoleModel(IClusterClient cluster, PublicQueries queries, AuditService audits, AlertService alerts, FollowUpService followUps)
    : ConsolePage(cluster, audits, alerts)
{
    public AreaDto City { get; private set; } = null!;

    /// <summary>The queue's filters and page, from the query string of its GET form.</summary>
    [BindProperty(SupportsGet = true)]
    public FollowUpQueueQuery Queue { get; set; } = new();

    public FollowUpQueue FollowUps { get; private set; } = null!;

    /// <summary>What the city's 差评 are about, and each institution's (staff only; never public).</summary>
    public TopicSummary Topics { get; private set; } = null!;

    public IReadOnlyList<InstitutionTopicRow> InstitutionTopics { get; private set; } = [];

    public Task<IActionResult> OnGetAsync(string? city) => ShowAsync(city);

    public async Task<IActionResult> OnGetAlertsAsync(string? city)
    {
        var code = User.ConfinedToCity() ?? city ?? "";
        if (Refuse(User.MayAccessCity(code)) is { } refused)
        {
            return refused;
        }

        await LoadAlertsAsync(code, RefreshUrl(code));
        return AlertsPartial();
    }

    protected override async Task<IActionResult> ShowAsync(string? city)
    {
        var code = User.ConfinedToCity() ?? city ?? "";
        if (Refuse(User.MayAccessCity(code)) is { } refused)
        {
            return refused;
        }

        if (await queries.City(code) is not { } found)
        {
            return NotFound();
        }

        City = found;
        await LoadAlertsAsync(code, RefreshUrl(code));
        await LoadAuditsAsync(code);
        await LoadQueueAsync(code, User.ConfinedToCity() is null ? code : null);
        await LoadTopicsAsync(code);
        return Page();
    }

    private async Task LoadTopicsAsync(string code)
    {
        var topics = await Cluster.GetGrain<ICityGrain>(code).GetTopics();
        Topics = topics.City;
        var withBad = topics.Institutions.Where(i => i.Value.BadD30 > 0).ToList();
        var names = await InstitutionNamesAsync(withBad.Select(i => i.Key));
        InstitutionTopics = [.. withBad.Select(i => new InstitutionTopicRow(i.Key, names[i.Key], i.Value))
            .OrderByDescending(r => r.Topics.BadD30).ThenBy(r => r.InstitutionId, StringComparer.Ordinal)];
    }

    private async Task LoadQueueAsync(string code, string? cityParameter)
    {
        var page = await followUps.ListAsync(code, Queue.ToFilter(), User);
        var names = await InstitutionNamesAsync(page.Items.Select(f => f.InstitutionId));
        var institutions = City.Rankings?.Select(r => (r.Id, r.Name)).OrderBy(r => r.Id, StringComparer.Ordinal).ToList() ?? [];
        var serviceItems = (await queries.ServiceItems()).Select(s => (s.Code, s.Name)).ToList();
        var itemNames = serviceItems.ToDictionary(s => s.Code, s => s.Name);
        var rows = page.Items.Select(f => new FollowUpRow(f, names[f.InstitutionId], itemNames.GetValueOrDefault(f.ServiceItem, f.ServiceItem)));
        FollowUps = new FollowUpQueue([.. rows], page.Total, page.Page, Queue,
            cityParameter, institutions, serviceItems, PageUrl);
    }

    /// <summary>This page's address with every filter kept and another page of the queue.</summary>
    private string PageUrl(int page) =>
        Request.Path + QueryString.Create(Request.Query.Where(q => !q.Key.Equals("queue.page", StringComparison.OrdinalIgnoreCase) && q.Key != "handler")
            .Select(q => KeyValuePair.Create(q.Key, (string?)q.Value.ToString()))
            .Append(KeyValuePair.Create("queue.page", (string?)page.ToString(System.Globalization.CultureInfo.InvariantCulture))));

    private static string RefreshUrl(string city) => $"/console/city?handler=Alerts&city={Uri.EscapeDataString(city)}";
}

/// <summary>One institution's 差评 topics on the city console.</summary>
public sealed record InstitutionTopicRow(string InstitutionId, string Name, TopicSummary Topics);
