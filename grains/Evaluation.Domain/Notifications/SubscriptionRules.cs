using System.Net.Mail;
using Evaluation.Contracts.Notifications;

namespace Evaluation.Domain.Notifications;

/// <summary>
/// What a subscription must be: exactly one target (a webhook URL or an e-mail address), known event types, and a
/// city code when given. Webhook URLs are absolute http(s) without credentials or fragment; plain http only where
/// <c>allowHttp</c> (development), since the body is signed but not secret-proof in transit.
/// </summary>
public static class SubscriptionRules
{
    public const int MaxUrlLength = 2000;
    public const int MaxEmailLength = 254;

    public static IReadOnlyList<SubscriptionProblem> Check(NewSubscription request, bool allowHttp)
    {
        var problems = new List<SubscriptionProblem>();
        var hasUrl = !string.IsNullOrWhiteSpace(request.Url);
        var hasEmail = !string.IsNullOrWhiteSpace(request.Email);
        if (hasUrl == hasEmail)
        {
            problems.Add(new("url", "give either url (a webhook) or email (an address), exactly one of them"));
        }
        else if (hasUrl && UrlProblem(request.Url!, allowHttp) is { } urlProblem)
        {
            problems.Add(new("url", urlProblem));
        }
        else if (hasEmail && !IsEmail(request.Email!))
        {
            problems.Add(new("email", $"'{request.Email}' is not an e-mail address"));
        }

        if (request.Events is not { Count: > 0 })
        {
            problems.Add(new("events", $"name at least one event type: {string.Join(", ", EventTypes.All)}"));
        }
        else
        {
            for (var i = 0; i < request.Events.Count; i++)
            {
                if (!EventTypes.All.Contains(request.Events[i]))
                {
                    problems.Add(new($"events[{i}]", $"'{request.Events[i]}' is not an event type; known: {string.Join(", ", EventTypes.All)}"));
                }
            }
        }

        if (request.CityCode is { } city && (city.Length != 6 || !city.All(char.IsAsciiDigit) || !city.EndsWith("00", StringComparison.Ordinal)))
        {
            problems.Add(new("city", $"'{city}' is not a prefecture city code (six digits ending in 00, e.g. 440100)"));
        }

        return problems;
    }

    private static string? UrlProblem(string url, bool allowHttp)
    {
        if (url.Length > MaxUrlLength || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return $"'{Shorten(url)}' is not an absolute URL of at most {MaxUrlLength} characters";
        }

        if (uri.Scheme != Uri.UriSchemeHttps && !(allowHttp && uri.Scheme == Uri.UriSchemeHttp))
        {
            return allowHttp ? "the URL must use http or https" : "the URL must use https (plain http only in development)";
        }

        if (uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
        {
            return "the URL must not carry credentials or a fragment";
        }

        return null;
    }

    private static bool IsEmail(string email) =>
        email.Length <= MaxEmailLength && MailAddress.TryCreate(email, out var address) && address.Address == email && address.DisplayName.Length == 0;

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
