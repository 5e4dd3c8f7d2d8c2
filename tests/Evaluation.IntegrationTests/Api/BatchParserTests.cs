using System.Buffers;
using System.Text;
using System.Text.Json;
using Evaluation.ClientApi.Json;
using Evaluation.Contracts.Ingestion;
using Xunit;

namespace Evaluation.IntegrationTests.Api;

/// <summary>
/// The batch parser reads the body's bytes straight into items: what it makes of a body, field by field, and that
/// it still refuses what a document parse refused (any JSON error anywhere, a repeated name, a wrong type).
/// </summary>
public sealed class BatchParserTests
{
    [Fact]
    public void A_full_rating_is_read_field_by_field()
    {
        var item = Single("""
            { "items": [ { "id": "r-1", "institutionId": "i-1", "serviceItem": "s-1", "channel": "window", "level": 2,
              "tags": ["slow", "rude"], "comment": "waited", "realName": true, "contact": { "name": "王", "phone": "138" },
              "occurredAt": "2026-11-24T10:03:00+08:00", "serviceRecordId": "rec-9", "unknown": { "deep": [1, 2] } } ] }
            """);

        Assert.Empty(item.Errors);
        Assert.Equal(
            new EvaluationInput("r-1", "i-1", "s-1", "window", 2, item.Item!.Tags, "waited", true, new Contact("王", "138"),
                DateTimeOffset.Parse("2026-11-24T10:03:00+08:00", System.Globalization.CultureInfo.InvariantCulture), "rec-9"),
            item.Item);
        Assert.Equal(["slow", "rude"], item.Item.Tags!);
        Assert.Equal("r-1", item.Id);
    }

    [Fact]
    public void Null_is_absent_and_a_missing_contact_is_none()
    {
        var item = Single("""{ "items": [ { "id": "r-2", "level": null, "contact": null, "tags": null, "realName": null } ] }""");

        Assert.Empty(item.Errors);
        Assert.Null(item.Item!.Level);
        Assert.Null(item.Item.Contact);
        Assert.Null(item.Item.Tags);
        Assert.False(item.Item.RealName);
    }

    [Fact]
    public void Every_wrong_type_of_an_item_is_named_in_the_order_the_item_lists_its_fields()
    {
        var item = Single("""
            { "items": [ { "occurredAt": "2026-11-24T10:03:00", "level": 1.5, "id": 7, "tags": ["a", 1], "realName": "yes",
              "contact": { "name": 3 }, "channel": { "x": 1, "x": 2 } } ] }
            """);

        Assert.Null(item.Item);
        Assert.Null(item.Id);
        Assert.Equal(
            ["items[0].channel.x", "items[0].id", "items[0].channel", "items[0].level", "items[0].tags", "items[0].realName", "items[0].contact.name", "items[0].occurredAt"],
            item.Errors.Select(e => e.Field));
        Assert.Equal("channel.x is given more than once (duplicate property)", item.Errors[0].Message);
        Assert.Equal("level must be a whole number", item.Errors[3].Message);
    }

    [Fact]
    public void A_repeated_field_is_refused_and_counts_as_its_last_copy()
    {
        var item = Single("""{ "items": [ { "id": "first", "level": "five", "id": "last", "level": 5 } ] }""");

        Assert.Null(item.Item);
        Assert.Equal("last", item.Id);
        Assert.Equal(["items[0].id", "items[0].level"], item.Errors.Select(e => e.Field));
    }

    [Fact]
    public void An_item_that_is_not_an_object_is_refused_alone()
    {
        var batch = Read("""{ "items": [ 42, { "id": "ok" }, [ { "id": "nested" } ] ] }""");

        Assert.Null(batch.Problem);
        Assert.Equal(3, batch.Items.Count);
        Assert.Equal("items[0]", Assert.Single(batch.Items[0].Errors).Field);
        Assert.Equal("ok", batch.Items[1].Item!.Id);
        Assert.Equal("items[2]", Assert.Single(batch.Items[2].Errors).Field);
    }

    [Fact]
    public void A_service_record_reads_its_times()
    {
        var item = BatchParser.Read(Bytes("""{ "items": [ { "id": "rec", "acceptedAt": "2026-11-24T02:00:00Z", "completedAt": 3 } ] }"""), BatchParser.ServiceRecord).Items[0];

        Assert.Null(item.Item);
        Assert.Equal("rec", item.Id);
        Assert.Equal("completedAt must be a string", Assert.Single(item.Errors).Message);
    }

    [Theory]
    [InlineData("""[ { "id": "x" } ]""", "the body must be a JSON object")]
    [InlineData("""{ "other": [] }""", "the body must have an \"items\" array")]
    [InlineData("""{ "items": { "id": "x" } }""", "the body must have an \"items\" array")]
    [InlineData("""{ "items": [] }""", "got 0")]
    public void A_body_that_is_not_a_batch_says_why(string body, string problem) =>
        Assert.Contains(problem, Read(body).Problem, StringComparison.Ordinal);

    [Fact]
    public void More_than_the_limit_is_counted_and_refused_whole()
    {
        var body = "{ \"items\": [" + string.Join(',', Enumerable.Repeat("{ \"id\": \"x\" }", BatchParser.MaxItems + 2)) + "] }";

        Assert.Contains($"got {BatchParser.MaxItems + 2}", Read(body).Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("""{ "items": [ { "id": "x" } ] } {}""")]
    [InlineData("""[ 1, 2""")]
    [InlineData("""{ "items": [ { "id": "x", } ] }""")]
    public void A_body_that_is_not_json_throws_even_where_its_shape_is_already_wrong(string body) =>
        Assert.ThrowsAny<JsonException>(() => Read(body));

    [Fact]
    public void Nesting_deeper_than_sixteen_is_not_json_here()
    {
        var deep = "{\"items\":" + new string('[', 20) + new string(']', 20) + "}";

        Assert.ThrowsAny<JsonException>(() => Read(deep));
    }

    private static ParsedItem<EvaluationInput> Single(string body) => Assert.Single(Read(body).Items);

    private static ParsedBatch<EvaluationInput> Read(string body) => BatchParser.Read(Bytes(body), BatchParser.Evaluation);

    private static ReadOnlySequence<byte> Bytes(string body) => new(Encoding.UTF8.GetBytes(body));
}
