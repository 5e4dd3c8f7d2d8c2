using System.Text;
using Evaluation.Domain.Comments;
using Xunit;

namespace Evaluation.Domain.Tests.Comments;

public sealed class CommentRedactionTests
{
    [Theory]
    [InlineData("我的手机13800138000请回电", "我的手机[电话]请回电")]
    [InlineData("电话：138 0013 8000", "电话：[电话]")]
    [InlineData("电话：138-0013-8000。", "电话：[电话]。")]
    [InlineData("+86 138 0013 8000", "[电话]")]
    [InlineData("+86-13800138000", "[电话]")]
    [InlineData("008613800138000", "[电话]")]
    [InlineData("call 8613800138000", "call [电话]")]
    [InlineData("TEL19912345678", "TEL[电话]")]
    public void Mainland_mobiles_are_redacted_with_or_without_country_code_and_grouping(string comment, string expected) =>
        Assert.Equal(expected, CommentRedaction.Redact(comment));

    [Theory]
    [InlineData("座机020-12345678找李科长", "座机[电话]找李科长")]
    [InlineData("(0755)12345678", "[电话]")]
    [InlineData("（0755）1234567", "[电话]")]
    [InlineData("0755 1234 5678", "[电话]")]
    [InlineData("02012345678", "[电话]")]
    [InlineData("+86 20 12345678", "[电话]")]
    [InlineData("+86-755-12345678", "[电话]")]
    public void Landlines_with_area_code_are_redacted(string comment, string expected) =>
        Assert.Equal(expected, CommentRedaction.Redact(comment));

    [Theory]
    [InlineData("身份证440106199001011234", "身份证[身份证]")]
    [InlineData("证件号44010619900101123X。", "证件号[身份证]。")]
    [InlineData("44010619900101123x", "[身份证]")]
    [InlineData("440106 19900101 123X", "[身份证]")]
    [InlineData("老身份证440106900101123号", "老身份证[身份证]号")]
    public void Id_card_numbers_of_18_and_15_characters_are_redacted(string comment, string expected) =>
        Assert.Equal(expected, CommentRedaction.Redact(comment));

    [Theory]
    [InlineData("请发到zhang.san@example.com谢谢", "请发到[邮箱]谢谢")]
    [InlineData("13800138000@qq.com", "[邮箱]")]
    [InlineData("li_si+ip@mail.gd.gov.cn.", "[邮箱].")]
    public void E_mail_addresses_are_redacted_whole_even_when_they_hold_a_phone(string comment, string expected) =>
        Assert.Equal(expected, CommentRedaction.Redact(comment));

    [Theory]
    [InlineData("手机１３８００１３８０００")]
    [InlineData("手机١٣٨٠٠١٣٨٠٠٠")]
    [InlineData("手机１３８ ００１３ ８０００")]
    public void Digits_of_any_script_are_digits(string comment) =>
        Assert.Equal("手机[电话]", CommentRedaction.Redact(comment));

    [Fact]
    public void Full_width_letters_and_at_sign_make_an_e_mail_too() =>
        Assert.Equal("邮箱：[邮箱]", CommentRedaction.Redact("邮箱：ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ"));

    [Theory]
    [InlineData("受理编号20261130138001380001234还没结果")]
    [InlineData("申请号202310123456.7")]
    [InlineData("商标注册号第12345678号")]
    [InlineData("2026年11月30日10:03来的，交了1380元")]
    [InlineData("流水号4401061990010112345")]
    [InlineData("热线400-123-4567打不通")]
    [InlineData("等了12345678秒")]
    [InlineData("一三八零零一三八零零零")]
    public void Numbers_that_are_no_phone_or_id_stay_as_written(string comment) =>
        Assert.Equal(comment, CommentRedaction.Redact(comment));

    [Fact]
    public void Numbers_next_to_letters_and_ideographs_without_separators_are_found()
    {
        Assert.Equal(
            "电话[电话]身份证[身份证]邮箱[邮箱]",
            CommentRedaction.Redact("电话13800138000身份证440106199001011234邮箱a@b.cn"));
    }

    [Fact]
    public void Mixed_scripts_keep_everything_but_the_personal_numbers()
    {
        const string comment = "Call me 13800138000 или напишите ivan@mail.ru 😀 مرحبا ١٣٩٠٠١٣٩٠٠٠ 排队太久";
        Assert.Equal("Call me [电话] или напишите [邮箱] 😀 مرحبا [电话] 排队太久", CommentRedaction.Redact(comment));
    }

    [Fact]
    public void Ten_thousand_characters_of_mixed_scripts_lose_every_number_and_nothing_else()
    {
        var pieces = new[] { "排队等了很久", "Warteschlange", "очередь", "😀", "الانتظار", "𠀋𠀍", "等候 " };
        var text = new StringBuilder();
        var planted = 0;
        while (text.Length < 10_000 - 40)
        {
            text.Append(pieces[planted % pieces.Length]);
            if (planted++ % 3 == 0)
            {
                text.Append(planted % 2 == 0 ? " 13800138000 " : " 44010619900101123X ");
            }
        }

        var comment = text.ToString().PadRight(10_000, '好');
        var redacted = CommentRedaction.Redact(comment)!;

        Assert.Equal(10_000, comment.Length);
        Assert.DoesNotContain("13800138000", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("44010619900101123X", redacted, StringComparison.Ordinal);
        Assert.True(redacted.Length < comment.Length);
        Assert.Equal(
            comment.Replace(" 13800138000 ", " [电话] ", StringComparison.Ordinal).Replace(" 44010619900101123X ", " [身份证] ", StringComparison.Ordinal),
            redacted);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("服务很好")]
    public void Text_without_personal_numbers_is_returned_as_it_is(string? comment) =>
        Assert.Equal(comment, CommentRedaction.Redact(comment));
}
