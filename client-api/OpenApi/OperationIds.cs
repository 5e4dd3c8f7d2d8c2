using System.Globalization;

namespace Evaluation.ClientApi.OpenApi;

/// <summary>
/// operationIds from method and route: <c>GET api/v1/public/cities/{code}</c> is <c>getPublicCitiesByCode</c>. A
/// route and method pair is unique, so the ids are; they change only when the route does.
/// </summary>
public static class OperationIds
{
    private const string Prefix = "api/v1/";

    public static string From(string method, string route)
    {
        var path = route.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) ? route[Prefix.Length..] : route;
        var words = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(segment => segment.StartsWith('{')
            ? "By" + Pascal(segment.Trim('{', '}').Split(':')[0])
            : Pascal(segment));
        return method.ToLowerInvariant() + string.Concat(words);
    }

    /// <summary><c>follow-ups</c> → <c>FollowUps</c>, <c>deliveryId</c> → <c>DeliveryId</c>.</summary>
    private static string Pascal(string word) => string.Concat(word.Split('-', '_', '.')
        .Where(part => part.Length > 0)
        .Select(part => char.ToUpper(part[0], CultureInfo.InvariantCulture) + part[1..]));
}
