using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Evaluation.Contracts.Registry;
using Evaluation.Grains.Registry;
using Evaluation.IntegrationTests.Infrastructure;
using Npgsql;
using Xunit;
using static Evaluation.IntegrationTests.Api.IngestionApiTests;

namespace Evaluation.IntegrationTests.Hostile;

/// <summary>
/// Property: whatever a client sends to a write endpoint, the answer is a 2xx or a 4xx with a message,
/// never a 5xx, and nothing that breaks a rule reaches the log. Inputs come from a seeded generator of
/// malformed JSON, wrong types, deep nesting, huge values, unicode edge cases and injection attempts.
/// </summary>
public sealed class HostileInputTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private const int Cases = 300;

    private static readonly string[] NastyStrings =
    [
        "'; DROP TABLE event_log; --", "\" OR 1=1 --", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
        "\u0000", "\ud800", "\u202e右到左", "\u200b", "😀👍🏽", "Ａ全角", "a\nb", new string('x', 70_000), "", " ", "null", "{}",
        "../../etc/passwd", "%00", "${jndi:ldap://127.0.0.1/a}",
    ];

    private static readonly JsonNode?[] NastyValues =
    [
        null, true, false, 0, -1, int.MaxValue, long.MaxValue, 2147483648L, -2147483649L, 1.5, 1e308, -0.0,
        new JsonArray(), new JsonObject(), new JsonArray(1, 2, 3), JsonValue.Create("5"), JsonValue.Create("2026-13-45T99:99:99+08:00"),
        JsonValue.Create("2026-11-24T10:03:00"), JsonValue.Create("9999-12-31T23:59:59+14:00"), JsonValue.Create("0001-01-01T00:00:00Z"),
    ];

    private static readonly string[] Fields =
        ["id", "institutionId", "serviceItem", "channel", "level", "tags", "comment", "realName", "contact", "occurredAt", "acceptedAt", "completedAt"];

    [Fact]
    public async Task No_input_to_a_write_endpoint_gets_a_5xx_or_stores_garbage()
    {
        var random = new Random(20261125);
        var statuses = new Dictionary<HttpStatusCode, int>();
        var institution = Pick(InstitutionKind.ComprehensiveCentre);
        for (var i = 0; i < Cases; i++)
        {
            var path = random.Next(2) == 0 ? "/api/v1/evaluations" : "/api/v1/service-records";
            var body = Body(random, institution, i);
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new("application/json");
            using var response = await system.Client.PostAsync(path, content, Ct);
            statuses[response.StatusCode] = statuses.GetValueOrDefault(response.StatusCode) + 1;
            var text = await response.Content.ReadAsStringAsync(Ct);
            Assert.True((int)response.StatusCode < 500, $"case {i} to {path} got {(int)response.StatusCode}: {text[..Math.Min(300, text.Length)]}\nbody: {Encoding.UTF8.GetString(body[..Math.Min(300, body.Length)])}");
            if (response.StatusCode != HttpStatusCode.OK)
            {
                Assert.Contains("detail", text, StringComparison.Ordinal);
            }
        }

        Assert.True(statuses.GetValueOrDefault(HttpStatusCode.OK) > 50, "the generator should also produce well-formed batches");
        Assert.True(statuses.GetValueOrDefault(HttpStatusCode.BadRequest) > 20, "and bodies that are not batches at all");
        await AssertLogHoldsOnlyValidItemsAsync();
    }

    private static byte[] Body(Random random, Institution institution, int index) => random.Next(6) switch
    {
        0 => RandomBytes(random),
        1 => Encoding.UTF8.GetBytes(Truncated(random, Batch(random, institution, index).ToJsonString())),
        2 => Encoding.UTF8.GetBytes(Deep(random.Next(20, 3000))),
        _ => Encoding.UTF8.GetBytes(Batch(random, institution, index).ToJsonString()),
    };

    private static JsonObject Batch(Random random, Institution institution, int index)
    {
        var items = new JsonArray();
        for (var n = random.Next(1, 6); n > 0; n--)
        {
            var item = Rating($"hostile-{index}-{n}", institution, level: random.Next(1, 6));
            item["acceptedAt"] = DateTimeOffset.UtcNow.AddHours(-2).ToString("O");
            for (var m = random.Next(0, 4); m > 0; m--)
            {
                var field = Fields[random.Next(Fields.Length)];
                item[field] = random.Next(2) == 0
                    ? JsonValue.Create(NastyStrings[random.Next(NastyStrings.Length)])
                    : NastyValues[random.Next(NastyValues.Length)]?.DeepClone();
            }

            items.Add(random.Next(10) == 0 ? NastyValues[random.Next(NastyValues.Length)]?.DeepClone() : item);
        }

        return new JsonObject { ["items"] = items };
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(1, 400)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string Truncated(Random random, string json) => json[..random.Next(1, json.Length)];

    private static string Deep(int depth) => "{\"items\":" + new string('[', depth) + new string(']', depth) + "}";

    /// <summary>Every logged rating obeys the rules, checked here independently of the validator.</summary>
    private async Task AssertLogHoldsOnlyValidItemsAsync()
    {
        var known = ShippedRegistry.Sample.Institutions.Select(i => i.Id).ToHashSet();
        await using var connection = new NpgsqlConnection(system.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT source_id, institution_id, level, coalesce(length(comment), 0), occurred_at, kind FROM event_log", connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var rows = 0;
        while (await reader.ReadAsync(Ct))
        {
            rows++;
            var id = reader.GetString(0);
            Assert.False(string.IsNullOrWhiteSpace(id) || id.Any(char.IsControl), $"logged id '{id}' is blank or has control characters");
            Assert.Contains(reader.GetString(1), known);
            if (reader.GetInt16(5) == 0)
            {
                Assert.InRange(reader.GetInt16(2), 1, 5);
            }

            Assert.InRange(reader.GetInt32(3), 0, 500);
            Assert.InRange(reader.GetFieldValue<DateTimeOffset>(4), DateTimeOffset.UtcNow.AddDays(-367), DateTimeOffset.UtcNow.AddMinutes(6));
        }

        Assert.True(rows > 0, "some valid items should have been logged");
    }
}
