using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Evaluation.Simulator;

/// <summary>What the simulator needs to know of an institution to send plausible traffic for it.</summary>
internal sealed record Institution(string Id, string Kind, string CityCode, IReadOnlyList<string> Channels, IReadOnlyList<string> Services);

/// <summary>A published service item; <see cref="LimitHours"/> is its time limit in calendar hours, working days taken as whole days.</summary>
internal sealed record ServiceItem(string Code, double LimitHours, bool LimitInWorkingDays);

internal sealed record Registry(IReadOnlyList<Institution> Institutions, IReadOnlyList<ServiceItem> ServiceItems);

/// <summary>Reads the registry the way any member of the public can: through the public endpoints.</summary>
internal sealed class RegistryReader(HttpClient http)
{
    // The largest page the public API serves.
    private const int PageSize = 100;
    private static readonly string[] ChannelNames = ["window", "online", "hotline"];

    public async Task<Registry> ReadAsync(CancellationToken cancellationToken)
    {
        var institutions = new List<Institution>();
        for (var page = 1; ; page++)
        {
            using var document = await GetAsync($"api/v1/public/institutions?page={page}&pageSize={PageSize}", cancellationToken);
            var root = document.RootElement;
            var items = root.GetProperty("items");
            institutions.AddRange(items.EnumerateArray().Select(ParseInstitution));
            var total = root.TryGetProperty("total", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetInt32() : institutions.Count;
            if (items.GetArrayLength() == 0 || institutions.Count >= total)
            {
                break;
            }
        }

        using var services = await GetAsync("api/v1/public/service-items", cancellationToken);
        var list = services.RootElement.ValueKind == JsonValueKind.Array
            ? services.RootElement
            : services.RootElement.GetProperty("items");
        return new Registry(institutions, list.EnumerateArray().Select(ParseServiceItem).ToList());
    }

    private async Task<JsonDocument> GetAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(path, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"GET /{path} answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }

        return await response.Content.ReadFromJsonAsync<JsonDocument>(cancellationToken)
            ?? throw new HttpRequestException($"GET /{path} answered an empty body");
    }

    private static Institution ParseInstitution(JsonElement item) => new(
        Text(item, "id") ?? throw new JsonException("an institution without id"),
        Text(item, "kind") ?? "unknown",
        Text(item, "cityCode") ?? "",
        Strings(item, "channels").Select(ChannelName).Where(c => c is not null).Select(c => c!).Distinct().ToList(),
        Strings(item, "services").ToList());

    private static ServiceItem ParseServiceItem(JsonElement item)
    {
        var code = Text(item, "code") ?? throw new JsonException("a service item without code");
        var value = 5.0;
        var inWorkingDays = true;
        if (item.TryGetProperty("timeLimit", out var limit))
        {
            if (limit.ValueKind == JsonValueKind.Number)
            {
                value = limit.GetDouble();
            }
            else if (limit.ValueKind == JsonValueKind.Object)
            {
                value = limit.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : value;
                var unit = Text(limit, "unit") ?? "";
                // The unit may come as the enum's name or its number (TimeLimitUnit.Hours = 1).
                inWorkingDays = !(unit.Contains("hour", StringComparison.OrdinalIgnoreCase) || unit == "1");
            }
        }

        value = Math.Max(value, 1);
        return new ServiceItem(code, inWorkingDays ? value * 24 : value, inWorkingDays);
    }

    private static string? ChannelName(string raw) =>
        int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var index) && index >= 0 && index < ChannelNames.Length
            ? ChannelNames[index]
            : ChannelNames.FirstOrDefault(name => name.Equals(raw, StringComparison.OrdinalIgnoreCase));

    private static string? Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;

    private static IEnumerable<string> Strings(JsonElement item, string name) =>
        item.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Select(e => e.ValueKind switch
            {
                JsonValueKind.String => e.GetString()!,
                // A service list may carry whole items rather than their codes.
                JsonValueKind.Object => Text(e, "code") ?? "",
                _ => e.GetRawText(),
            })
            : [];
}
