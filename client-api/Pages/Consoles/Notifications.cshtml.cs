using Evaluation.ClientApi.Apis;
using Evaluation.ClientApi.Application;
using Evaluation.ClientApi.Security;
using Evaluation.Contracts.Notifications;
using Microsoft.AspNetCore.Mvc;

namespace Evaluation.ClientApi.Pages.Consoles;

/// <summary>
/// Notification settings of either console: the subscriptions the viewer may manage (a supervisor's: every city;
/// an officer's: their city's), a form to add a webhook or an e-mail address, deleting one, and one subscription's
/// delivery log with a redeliver button per delivery. Every action goes through <see cref="SubscriptionService"/>, as the API's do.
/// </summary>
public sealed class NotificationsModel(SubscriptionService subscriptions) : StaffPage
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
        var isEmail = target == "email";
        var request = new SubscriptionRequest(isEmail ? null : address?.Trim(), isEmail ? address?.Trim() : null, events ?? [],
            string.IsNullOrWhiteSpace(city) ? null : city.Trim());
        return Refuse(true) ?? await AttemptAsync(
            async () =>
            {
                Created = await subscriptions.CreateAsync(request, User);
                return await ShowAsync(null, null);
            },
            () => ShowAsync(null, null));
    }

    public async Task<IActionResult> OnPostDeleteAsync(string id) => Refuse(true) ?? await AttemptAsync(
        async () =>
        {
            await subscriptions.DeleteAsync(id, User);
            return Redirect(Request.Path);
        },
        () => ShowAsync(null, null));

    public async Task<IActionResult> OnPostRedeliverAsync(string id, Guid deliveryId) => Refuse(true) ?? await AttemptAsync(
        async () =>
        {
            await subscriptions.RedeliverAsync(id, deliveryId, User);
            return Redirect($"{Request.Path}?subscription={Uri.EscapeDataString(id)}");
        },
        () => ShowAsync(id, null));

    private async Task<IActionResult> ShowAsync(string? subscription, int? page)
    {
        try
        {
            Subscriptions = await subscriptions.ListAsync(null, User);
            Selected = Subscriptions.FirstOrDefault(s => s.Id == subscription);
            if (Selected is not null)
            {
                Deliveries = await subscriptions.DeliveriesAsync(Selected.Id, new Paging(Math.Max(page ?? 1, 1), 50), User);
            }
        }
        catch (Refusal refusal) when (refusal.Status == StatusCodes.Status503ServiceUnavailable)
        {
            Problem ??= "通知功能不可用 Notifications are unavailable (they need PostgreSQL mode)";
        }

        return Page();
    }
}
