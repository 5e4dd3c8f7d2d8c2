using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Calendar;
using Evaluation.Domain.Ingestion;
using Evaluation.Domain.Registry;
using Xunit;

namespace Evaluation.Domain.Tests.Ingestion;

/// <summary>
/// A source reads why an item was rejected from the message alone: each rule's field and words, and the values
/// just inside each limit that must still be accepted.
/// </summary>
public sealed class IngestionMessagesTests
{
    private static readonly InstitutionRegistry Registry = InstitutionRegistry.LoadSample();
    private static readonly IngestionRules Rules = new(Registry, WorkingCalendar.Default);
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 2, 0, 0, TimeSpan.Zero);
    private static readonly Institution Centre = Registry.Institutions.First(i => i.Channels.Count == 3);
    private static readonly Institution NoHotline = Registry.Institutions.First(i => !i.Channels.Contains(Channel.Hotline));

    private static EvaluationInput Valid() => new("src-1", Centre.Id, Centre.Services[0], "window", 4, ["slow"], "好", false, null, Now.AddHours(-1));

    private static ServiceRecordInput Record() => new("rec-1", Centre.Id, Centre.Services[0], "window", Now.AddHours(-3), null);

    public static TheoryData<string, EvaluationInput, string> Ratings => new()
    {
        { "level", Valid() with { Level = null }, "level is required: a whole number from 1 (非常不满意) to 5 (非常满意)" },
        { "level", Valid() with { Level = 7 }, "level must be from 1 to 5, got 7" },
        { "tags", Valid() with { Tags = [.. Enumerable.Range(0, 11).Select(i => $"t{i}")] }, "at most 10 tags, got 11" },
        { "tags[0]", Valid() with { Tags = [new string('t', 33)] }, "a tag must be 1 to 32 printable characters" },
        { "tags[0]", Valid() with { Tags = ["two\nlines"] }, "a tag must be 1 to 32 printable characters" },
        { "comment", Valid() with { Comment = "bell\u0007" }, "comment must be readable text: no control characters (other than line breaks and tabs) and no broken surrogate pairs" },
        { "id", Valid() with { Id = " " }, "id is required: the source's own unique id, used to recognise re-sends" },
        { "id", Valid() with { Id = new string('i', 129) }, "id must be at most 128 printable characters" },
        { "id", Valid() with { Id = "two\nlines" }, "id must be at most 128 printable characters" },
        { "serviceRecordId", Valid() with { ServiceRecordId = "" }, "serviceRecordId, when given, must be 1 to 128 printable characters: the id of the service record (办件) rated" },
        { "serviceRecordId", Valid() with { ServiceRecordId = "bell\u0007" }, "serviceRecordId, when given, must be 1 to 128 printable characters: the id of the service record (办件) rated" },
        { "institutionId", Valid() with { InstitutionId = null }, "institutionId is required" },
        { "institutionId", Valid() with { InstitutionId = "nobody" }, "unknown institution 'nobody'" },
        { "institutionId", Valid() with { InstitutionId = new string('n', 64) }, $"unknown institution '{new string('n', 64)}'" },
        { "institutionId", Valid() with { InstitutionId = new string('n', 65) }, $"unknown institution '{new string('n', 64)}…'" },
        { "serviceItem", Valid() with { ServiceItem = " " }, "serviceItem is required: a code from /api/v1/public/service-items" },
        { "serviceItem", Valid() with { ServiceItem = "NO-SUCH" }, "unknown service item 'NO-SUCH'" },
        { "channel", Valid() with { Channel = "fax" }, "channel must be one of window, online, hotline" },
        { "channel", Valid() with { InstitutionId = NoHotline.Id, ServiceItem = NoHotline.Services[0], Channel = "hotline" }, $"institution '{NoHotline.Id}' does not serve on the hotline channel" },
        { "contact", Valid() with { RealName = true, Contact = new(null, null) }, "a real-name rating needs contact.name or contact.phone for the call-back" },
        { "contact", Valid() with { RealName = true, Contact = new("", null) }, "a real-name rating needs contact.name or contact.phone for the call-back" },
        { "contact.name", Valid() with { RealName = true, Contact = new(new string('n', 65), null) }, "contact.name must be at most 64 printable characters" },
        { "contact.name", Valid() with { RealName = true, Contact = new("two\nlines", null) }, "contact.name must be at most 64 printable characters" },
        { "contact.phone", Valid() with { RealName = true, Contact = new(null, new string('1', 65)) }, "contact.phone may hold only digits, spaces and + - ( )" },
        { "occurredAt", Valid() with { OccurredAt = null }, "occurredAt is required: an ISO-8601 time with offset, e.g. 2026-11-24T10:03:00+08:00" },
        { "occurredAt", Valid() with { OccurredAt = Now.AddMinutes(6) }, "occurredAt lies in the future: at most 5 minutes ahead of the server clock is allowed" },
        { "occurredAt", Valid() with { OccurredAt = Now.AddDays(-367) }, "occurredAt lies more than 366 days in the past" },
    };

    [Theory]
    [MemberData(nameof(Ratings))]
    public void A_rating_breaking_one_rule_is_rejected_with_its_field_and_words(string field, EvaluationInput input, string message)
    {
        var errors = new List<FieldError>();
        Assert.Null(Rules.Validate(input, 2, Now, errors));
        Assert.Equal(new FieldError($"items[2].{field}", message), Assert.Single(errors));
    }

    public static TheoryData<EvaluationInput> JustInside => new()
    {
        Valid() with { Level = 1 },
        Valid() with { Level = 5 },
        Valid() with { Tags = [.. Enumerable.Range(0, 10).Select(i => new string('t', 32))] },
        Valid() with { Comment = "两行\n评论\t好" },
        Valid() with { Id = new string('i', 128), ServiceRecordId = new string('r', 128) },
        Valid() with { RealName = true, Contact = new(new string('n', 64), new string('1', 64)) },
        Valid() with { RealName = true, Contact = new(null, "+86 (20) 1234-5678") },
        Valid() with { RealName = true, Contact = new("张三", null) },
        Valid() with { Channel = "online" },
        Valid() with { Channel = "hotline" },
        Valid() with { OccurredAt = Now + IngestionRules.MaxFuture },
        Valid() with { OccurredAt = Now - IngestionRules.MaxPast },
    };

    [Theory]
    [MemberData(nameof(JustInside))]
    public void A_rating_just_inside_every_limit_is_accepted(EvaluationInput input)
    {
        var errors = new List<FieldError>();
        Assert.NotNull(Rules.Validate(input, 0, Now, errors));
        Assert.Empty(errors);
    }

    [Fact]
    public void A_service_record_counts_on_the_Shanghai_day_it_completed_or_else_was_accepted()
    {
        // Accepted 23:00 on the 22nd in Shanghai, completed 01:00 on the 23rd.
        var accepted = new DateTimeOffset(2026, 11, 22, 15, 0, 0, TimeSpan.Zero);
        var errors = new List<FieldError>();
        Assert.Equal(new DateOnly(2026, 11, 23), Rules.Validate(Record() with { AcceptedAt = accepted, CompletedAt = accepted.AddHours(2) }, 0, Now, errors)!.Day);
        Assert.Equal(new DateOnly(2026, 11, 22), Rules.Validate(Record() with { AcceptedAt = accepted }, 0, Now, errors)!.Day);
        Assert.Equal(new DateOnly(2026, 11, 22), Rules.Validate(Record() with { AcceptedAt = accepted, CompletedAt = accepted }, 0, Now, errors)!.Day);
        Assert.Empty(errors);
    }

    [Fact]
    public void A_service_record_breaking_a_rule_is_rejected_with_its_field_and_words()
    {
        Assert.Equal(
            [new("items[1].acceptedAt", "acceptedAt is required: an ISO-8601 time with offset, e.g. 2026-11-24T10:03:00+08:00")],
            Errors(Record() with { AcceptedAt = null }));
        Assert.Equal(
            [new("items[1].completedAt", "completedAt lies in the future: at most 5 minutes ahead of the server clock is allowed")],
            Errors(Record() with { CompletedAt = Now.AddHours(1) }));
        Assert.Equal(
            [new("items[1].completedAt", "completedAt must not be before acceptedAt")],
            Errors(Record() with { CompletedAt = Now.AddHours(-4) }));
        Assert.Equal(
            [new("items[1].id", "id is required: the source's own unique id, used to recognise re-sends")],
            Errors(Record() with { Id = null }));
    }

    [Fact]
    public void An_unknown_institution_on_a_known_channel_is_one_error_and_a_bad_channel_leaves_the_rest_resolved()
    {
        Assert.Equal(["items[2].institutionId"], Fields(Valid() with { InstitutionId = "nobody" }));
        Assert.Equal(["items[2].channel"], Fields(Valid() with { Channel = "fax", Level = 3 }));
    }

    [Fact]
    public void Channels_read_and_write_the_contract_names()
    {
        Assert.Equal(
            [Channel.Window, Channel.Online, Channel.Hotline],
            new[] { "window", "online", "hotline" }.Select(n => IngestionRules.ParseChannel(n)!.Value));
        Assert.Equal(["window", "online", "hotline"], new[] { Channel.Window, Channel.Online, Channel.Hotline }.Select(IngestionRules.ChannelName));
        Assert.Throws<ArgumentOutOfRangeException>(() => IngestionRules.ChannelName((Channel)99));
    }

    [Fact]
    public void A_surrogate_pair_is_text_and_half_of_one_is_not()
    {
        // Built from char codes: a lone surrogate does not survive in an attribute's string.
        var (high, low) = ((char)0xD83D, (char)0xDE00);
        Assert.False(IngestionRules.IsCleanText("end" + high, allowLineBreaks: false));
        Assert.False(IngestionRules.IsCleanText(low + "start", allowLineBreaks: false));
        Assert.True(IngestionRules.IsCleanText(string.Concat(high, low), allowLineBreaks: false));
    }

    private static List<FieldError> Errors(ServiceRecordInput input)
    {
        var errors = new List<FieldError>();
        Assert.Null(Rules.Validate(input, 1, Now, errors));
        return errors;
    }

    private static string[] Fields(EvaluationInput input)
    {
        var errors = new List<FieldError>();
        Assert.Null(Rules.Validate(input, 2, Now, errors));
        return [.. errors.Select(e => e.Field)];
    }
}
