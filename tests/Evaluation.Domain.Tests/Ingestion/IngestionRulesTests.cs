using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Calendar;
using Evaluation.Domain.Ingestion;
using Evaluation.Domain.Registry;
using Xunit;

namespace Evaluation.Domain.Tests.Ingestion;

public sealed class IngestionRulesTests
{
    private static readonly InstitutionRegistry Registry = InstitutionRegistry.LoadSample();
    private static readonly IngestionRules Rules = new(Registry, WorkingCalendar.Default);
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 2, 0, 0, TimeSpan.Zero);
    private static readonly Institution Centre = Registry.Institutions.First(i => i.Kind == InstitutionKind.ComprehensiveCentre);

    private static EvaluationInput Valid() => new(
        "src-1", Centre.Id, Centre.Services[0], Name(Centre.Channels[0]), 4, ["slow"], "好", false, null, Now.AddHours(-1));

    [Fact]
    public void A_valid_rating_resolves_its_institution_item_channel_and_Shanghai_day()
    {
        var errors = new List<FieldError>();
        // 23:30 UTC on the 23rd is 07:30 on the 24th in Shanghai.
        var item = Rules.Validate(Valid() with { OccurredAt = new DateTimeOffset(2026, 11, 23, 23, 30, 0, TimeSpan.Zero) }, 0, Now, errors);

        Assert.Empty(errors);
        Assert.NotNull(item);
        Assert.Equal(Centre.Id, item.Institution.Id);
        Assert.Equal(Centre.Services[0], item.ServiceItem.Code);
        Assert.Equal(new DateOnly(2026, 11, 24), item.Day);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    [InlineData(-3)]
    public void A_level_outside_one_to_five_is_rejected(int level) =>
        AssertRejected(Valid() with { Level = level }, "items[3].level", index: 3);

    [Fact]
    public void Every_broken_rule_is_reported_at_once()
    {
        var errors = new List<FieldError>();
        var item = Rules.Validate(new EvaluationInput(null, "nobody", "NO-SUCH", "fax", null, null, null, false, null, null), 0, Now, errors);

        Assert.Null(item);
        Assert.Equal(
            ["items[0].id", "items[0].institutionId", "items[0].serviceItem", "items[0].channel", "items[0].level", "items[0].occurredAt"],
            errors.Select(e => e.Field).ToArray());
    }

    [Fact]
    public void Times_may_be_five_minutes_ahead_and_a_year_back_but_no_further()
    {
        AssertAccepted(Valid() with { OccurredAt = Now.AddMinutes(4) });
        AssertRejected(Valid() with { OccurredAt = Now.AddMinutes(6) }, "items[0].occurredAt");
        AssertAccepted(Valid() with { OccurredAt = Now.AddDays(-365) });
        AssertRejected(Valid() with { OccurredAt = Now.AddDays(-367) }, "items[0].occurredAt");
    }

    [Fact]
    public void Comments_and_tags_are_bounded()
    {
        AssertRejected(Valid() with { Comment = new string('差', IngestionRules.MaxCommentLength + 1) }, "items[0].comment");
        AssertAccepted(Valid() with { Comment = new string('好', IngestionRules.MaxCommentLength) });
        AssertRejected(Valid() with { Tags = [.. Enumerable.Repeat("t", IngestionRules.MaxTags + 1)] }, "items[0].tags");
        AssertRejected(Valid() with { Tags = ["ok", ""] }, "items[0].tags[1]");
    }

    [Fact]
    public void A_comment_is_bounded_in_characters_of_any_script_as_a_person_counts_them()
    {
        // 500 emoji are 1000 UTF-16 units and still 500 characters.
        AssertAccepted(Valid() with { Comment = string.Concat(Enumerable.Repeat("😀", IngestionRules.MaxCommentLength)) });
        AssertAccepted(Valid() with { Comment = string.Concat(Enumerable.Repeat("𠀋", IngestionRules.MaxCommentLength)) });

        var mixed = string.Concat(Enumerable.Repeat("排队太久 queue очередь الانتظار 😀 13800138000。", 300))[..10_000];
        var errors = new List<FieldError>();
        Assert.Null(Rules.Validate(Valid() with { Comment = mixed }, 4, Now, errors));
        var error = Assert.Single(errors);
        Assert.Equal("items[4].comment", error.Field);
        Assert.Equal(
            $"comment must be at most 500 characters (Unicode characters of any script, counted as sent), got {IngestionRules.CharacterCount(mixed)}",
            error.Message);
        Assert.DoesNotContain("13800138000", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("很好\n谢谢", true, true)]
    [InlineData("😀 ok", false, true)]
    [InlineData("nul\u0000", true, false)]
    [InlineData("bell\u0007", true, false)]
    [InlineData("line\nbreak", false, false)]
    public void Stored_text_has_no_control_characters_or_broken_surrogates(string text, bool allowLineBreaks, bool clean) =>
        Assert.Equal(clean, IngestionRules.IsCleanText(text, allowLineBreaks));

    [Fact]
    public void Half_a_surrogate_pair_is_not_text()
    {
        // Built in code: attribute arguments cannot carry unpaired surrogates through compilation.
        Assert.False(IngestionRules.IsCleanText("half " + (char)0xD800 + " pair", allowLineBreaks: true));
        Assert.False(IngestionRules.IsCleanText(((char)0xDC00).ToString(), allowLineBreaks: true));
        Assert.True(IngestionRules.IsCleanText("pair " + (char)0xD83D + (char)0xDE00, allowLineBreaks: false));
    }

    [Fact]
    public void A_comment_PostgreSQL_could_not_store_is_rejected() =>
        AssertRejected(Valid() with { Comment = "abc\u0000" }, "items[0].comment");

    [Fact]
    public void Contact_details_go_only_with_real_name_ratings()
    {
        AssertRejected(Valid() with { Contact = new Contact("张三", "13800000000") }, "items[0].contact");
        AssertRejected(Valid() with { RealName = true }, "items[0].contact");
        AssertRejected(Valid() with { RealName = true, Contact = new Contact(null, "call me") }, "items[0].contact.phone");
        AssertAccepted(Valid() with { RealName = true, Contact = new Contact("张三", "+86 138-0000-0000") });
    }

    [Fact]
    public void An_institution_is_rated_only_for_its_own_services_and_channels()
    {
        var other = Registry.ServiceItems.Items.First(s => !Centre.Services.Contains(s.Code));
        AssertRejected(Valid() with { ServiceItem = other.Code }, "items[0].serviceItem");

        var missing = Enum.GetValues<Channel>().Where(c => !Centre.Channels.Contains(c)).Select(Name).FirstOrDefault();
        if (missing is not null)
        {
            AssertRejected(Valid() with { Channel = missing }, "items[0].channel");
        }
    }

    [Fact]
    public void A_service_record_cannot_complete_before_it_was_accepted()
    {
        var record = new ServiceRecordInput("rec-1", Centre.Id, Centre.Services[0], Name(Centre.Channels[0]), Now.AddHours(-2), Now.AddHours(-3));
        var errors = new List<FieldError>();
        Assert.Null(Rules.Validate(record, 0, Now, errors));
        Assert.Contains(errors, e => e.Field == "items[0].completedAt");

        errors.Clear();
        var completed = Rules.Validate(record with { CompletedAt = Now.AddHours(-1) }, 0, Now, errors);
        Assert.Empty(errors);
        Assert.Equal(WorkingCalendar.ToLocalDate(Now.AddHours(-1)).ToDateOnly(), completed!.Day);
    }

    [Fact]
    public void A_source_outside_its_scope_is_rejected_naming_each_limit()
    {
        var other = Registry.Institutions.First(i => i.CityCode != Centre.CityCode && i.Channels.Count > 0);
        var unused = Enum.GetValues<Channel>().First(c => c != Centre.Channels[0]);
        var scoped = new IngestionRules(Registry, WorkingCalendar.Default, new SourceIdentity("kiosk", new SourceScope([Centre.CityCode], [], [Centre.Channels[0]])));

        var errors = new List<FieldError>();
        Assert.NotNull(scoped.Validate(Valid(), 0, Now, errors));
        Assert.Empty(errors);

        Assert.Null(scoped.Validate(Valid() with { InstitutionId = other.Id, ServiceItem = other.Services[0], Channel = Name(other.Channels[0]) }, 0, Now, errors));
        Assert.Contains(errors, e => e.Field == "items[0].institutionId" && e.Message.Contains($"only for cities {Centre.CityCode}", StringComparison.Ordinal));

        var byInstitution = new IngestionRules(Registry, WorkingCalendar.Default, new SourceIdentity("kiosk", new SourceScope([], [other.Id], [unused])));
        errors.Clear();
        Assert.Null(byInstitution.Validate(Valid(), 0, Now, errors));
        Assert.Contains(errors, e => e.Field == "items[0].institutionId" && e.Message.Contains("only for institutions", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Field == "items[0].channel" && e.Message.Contains("only on the channels", StringComparison.Ordinal));
    }

    [Fact]
    public void The_default_source_may_not_send_ids_that_read_as_another_sources()
    {
        AssertRejected(Valid() with { Id = "hotline:1" }, "items[0].id");
        AssertAccepted(Valid() with { Id = "Hotline:1" });
        AssertAccepted(Valid() with { Id = ":1" });
        var errors = new List<FieldError>();
        Assert.NotNull(new IngestionRules(Registry, WorkingCalendar.Default, new SourceIdentity("hotline", SourceScope.Any)).Validate(Valid() with { Id = "hotline:1" }, 0, Now, errors));
    }

    [Fact]
    public void A_service_record_id_must_be_printable_and_bounded() =>
        AssertRejected(Valid() with { ServiceRecordId = new string('x', IngestionRules.MaxIdLength + 1) }, "items[0].serviceRecordId");

    private static void AssertAccepted(EvaluationInput input)
    {
        var errors = new List<FieldError>();
        Assert.NotNull(Rules.Validate(input, 0, Now, errors));
        Assert.Empty(errors);
    }

    private static void AssertRejected(EvaluationInput input, string field, int index = 0)
    {
        var errors = new List<FieldError>();
        Assert.Null(Rules.Validate(input, index, Now, errors));
        Assert.Contains(errors, e => e.Field == field && !string.IsNullOrWhiteSpace(e.Message));
    }

    private static string Name(Channel channel) => channel.ToString().ToLowerInvariant();
}
