using Evaluation.ClientApi.Apis;
using Evaluation.ClientApi.Security;
using Evaluation.Contracts.Notifications;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Evaluation.ClientApi.Pages.Consoles;

/// <summary>
/// Notification settings of either console: the subscriptions the viewer may manage (a supervisor's: every city;
/// an officer's: their city's), a form to add a webhook or an e-mail address, deleting one, and one subscription's
/// delivery log with a redeliver button per delivery. Every action goes through the API's own code paths.
/// </summary>
public sealed class NotificationsModel(IClusterClient cluster, IHostEnvironment environment, IConfiguration configuration) : StaffPage
{
    public IReadOnlyList<SubscriptionView> Subscriptions { get; private set; } = [];

    /// <summary>The subscription whose delivery log is shown, when one is chosen.</summary>
    public SubscriptionView? Selected { get; private set; }

    public DeliveryPage? Deliveries { get; private set; }

    /// <summary>A new webhook's secret: shown in the answer to the form that created it, and never again.</summary>
    public SubscriptionCreated? Created { get; private set; }

    public string Home => User.IsSupervisor() ? "/console/province" : "/console/city";

    public async Task<IActionResult> OnGetAsync(string? subscription, int? page) => Refuse(true) ?? await ShowAsync(subscription, page);

    public async Task<IActionResult> OnPostCreateAsync(string? target, string? address, string[]? events, string? city)
    {
        if (Refuse(true) is { } refused)
        {
            return refused;
        }

        var isEmail = target == "email";
        var request = new SubscriptionRequest(isEmail ? null : address?.Trim(), isEmail ? address?.Trim() : null, events ?? [],
            string.IsNullOrWhiteSpace(city) ? null : city.Trim());
        var answer = await SubscriptionApi.CreateAsync(request, User, cluster, environment, configuration);
        if (answer.Result is ProblemHttpResult problem)
        {
            return await ShowRefusalAsync(problem, () => ShowAsync(null, null));
        }

        Created = ((Created<SubscriptionCreated>)answer.Result).Value;
        return await ShowAsync(null, null);
    }

    public async Task<IActionResult> OnPostDeleteAsync(string id)
    {
        if (Refuse(true) is { } refused)
        {
            return refused;
        }

        var answer = await SubscriptionApi.DeleteAsync(id, User, cluster);
        return answer.Result is ProblemHttpResult problem ? await ShowRefusalAsync(problem, () => ShowAsync(null, null)) : Redirect(Request.Path);
    }

    public async Task<IActionResult> OnPostRedeliverAsync(string id, Guid deliveryId)
    {
        if (Refuse(true) is { } refused)
        {
            return refused;
        }

        var answer = await SubscriptionApi.RedeliverAsync(id, deliveryId, User, cluster);
        return answer.Result is ProblemHttpResult problem
            ? await ShowRefusalAsync(problem, () => ShowAsync(id, null))
            : Redirect($"{Request.Path}?subscription={Uri.EscapeDataString(id)}");
    }

    private async Task<IActionResult> ShowAsync(string? subscription, int? page)
    {
        if ((await SubscriptionApi.ListAsync(null, User, cluster)).Result is Ok<IReadOnlyList<SubscriptionView>> { Value: { } listed })
        {
            Subscriptions = listed;
        }
        else
        {
            Problem ??= "通知功能不可用 Notifications are unavailable (they need PostgreSQL mode)";
        }

        Selected = Subscriptions.FirstOrDefault(s => s.Id == subscription);
        if (Selected is not null
            && (await SubscriptionApi.DeliveriesAsync(Selected.Id, Math.Max(page ?? 1, 1), 50, User, cluster)).Result is Ok<DeliveryPage> { Value: { } found })
        {
            Deliveries = found;
        }

        return Page();
    }
}
