using System.Text;
using System.Text.RegularExpressions;

namespace Evaluation.Domain.Comments;

/// <summary>
/// Takes the personal numbers raters write into free text out before it is stored (PIPL: a comment is kept for
/// years in the append-only log and shown to staff, while a rater's contact belongs only, sealed, with the
/// follow-up). What it replaces:
/// <list type="bullet">
/// <item>e-mail addresses → <c>[邮箱]</c>;</item>
/// <item>resident ID-card numbers → <c>[身份证]</c>: 18 characters (17 digits and a digit or X) or the old 15 digits,
/// with a plausible birth date (19xx/20xx for 18, any year for 15, month 01–12, day 01–31), checksum not required so
/// a mistyped number goes too;</item>
/// <item>phone numbers → <c>[电话]</c>: mainland mobiles (1[3-9] and 9 more digits, grouped 3-4-4 or not) and
/// landlines with their area code (0 and 2–3 digits, then 7–8 digits, e.g. 020-12345678, (0755)1234567), each also
/// with +86, 0086 or 86 in front (a landline then without its 0).</item>
/// </list>
/// A number is judged as the whole run of digits it stands in: a run longer than the pattern (a 20-digit 受理编号) is
/// no phone or ID and stays, and so do bare 7–8-digit numbers without an area code, since 8 digits is also what a
/// trademark registration number looks like. Digits of any script count as digits (全角 ０-９, Arabic-Indic, …), and
/// full-width letters, ＠, ＋, －, （） and the ideographic space as their ASCII forms; Chinese numerals
/// (一三八…) are words, not digits, and are left alone.
/// </summary>
public static partial class CommentRedaction
{
    public const string Phone = "[电话]";
    public const string IdCard = "[身份证]";
    public const string Email = "[邮箱]";

    private const string Sep = @"[ \-]?";

    /// <summary>+86, 0086 or 86 before a mobile, or nothing; either way no digit before it.</summary>
    private const string CountryCode = @"(?:(?<!\d)(?:\+86|0086|86)" + Sep + @"|(?<!\d))";

    /// <summary>Replaces every e-mail address, ID-card and phone number in <paramref name="text"/>; null stays null.</summary>
    public static string? Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        // Patterns run on a folded copy of the same length, so what they find in it is replaced in the original.
        var folded = Fold(text);
        var found = new List<(int Start, int Length, string Label)>();
        Find(EmailPattern(), folded, Email, found);
        Find(IdCard18Pattern(), folded, IdCard, found);
        Find(IdCard15Pattern(), folded, IdCard, found);
        Find(MobilePattern(), folded, Phone, found);
        Find(LandlinePattern(), folded, Phone, found);
        if (found.Count == 0)
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        var at = 0;
        foreach (var (start, length, label) in found.OrderBy(f => f.Start))
        {
            result.Append(text, at, start - at).Append(label);
            at = start + length;
        }

        return result.Append(text, at, text.Length - at).ToString();
    }

    /// <summary>Adds the matches that overlap none found before: an earlier pattern (an e-mail) wins over a later one.</summary>
    private static void Find(Regex pattern, string folded, string label, List<(int Start, int Length, string Label)> found)
    {
        foreach (Match match in pattern.Matches(folded))
        {
            if (!found.Any(f => match.Index < f.Start + f.Length && f.Start < match.Index + match.Length))
            {
                found.Add((match.Index, match.Length, label));
            }
        }
    }

    /// <summary>Maps each character to the ASCII one it stands for, one for one, so positions agree with the original.</summary>
    internal static string Fold(string text) => string.Create(text.Length, text, static (span, source) =>
    {
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            span[i] = c switch
            {
                >= '0' and <= '9' => c,
                _ when char.IsDigit(c) => (char)('0' + (int)char.GetNumericValue(c)),
                >= '\uFF01' and <= '\uFF5E' => (char)(c - 0xFEE0),
                '\u3000' => ' ',
                _ => c,
            };
        }
    });

    // Letters and digits of the local part and domain are ASCII after folding; a digit run before or after a number
    // means the number is part of something longer.
    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"(?<!\d)[1-9]\d{5}" + Sep + @"(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])" + Sep + @"\d{3}[\dXx](?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex IdCard18Pattern();

    [GeneratedRegex(@"(?<!\d)[1-9]\d{5}" + Sep + @"\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])" + Sep + @"\d{3}(?![\dXx])", RegexOptions.CultureInvariant)]
    private static partial Regex IdCard15Pattern();

    [GeneratedRegex(CountryCode + @"1[3-9]\d" + Sep + @"\d{4}" + Sep + @"\d{4}(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex MobilePattern();

    [GeneratedRegex(@"(?:(?<!\d)(?:\+86|0086|86)" + Sep + @"\(?[1-9]\d{1,2}\)?|(?<!\d)\(?0[1-9]\d{1,2}\)?)" + Sep + @"[1-9]\d{2,3}" + Sep + @"\d{4}(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex LandlinePattern();
}
