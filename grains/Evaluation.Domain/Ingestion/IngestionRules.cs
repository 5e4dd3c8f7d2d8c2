using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Calendar;
using Evaluation.Domain.Registry;

namespace Evaluation.Domain.Ingestion;

/// <summary>A rating or service record that passed every rule, resolved against the registry.</summary>
public sealed record ValidItem(Institution Institution, ServiceItem ServiceItem, Channel Channel, DateOnly Day);

/// <summary>
/// The validation rules of SPEC 2.4 and 2.5, and the scope of the sending source (SPEC 4.5.2). Every broken rule of
/// an item is reported, each naming the field (as <c>items[i].field</c>) and the rule, so a source can fix a batch in
/// one pass. Without a source given, the rules are those of the default source, which may send for everything.
/// </summary>
public sealed class IngestionRules(InstitutionRegistry registry, WorkingCalendar calendar, SourceIdentity? source = null)
{
    private readonly SourceIdentity sender = source ?? new SourceIdentity(SourceNames.Default, SourceScope.Any);

    public const int MaxBatchSize = 5000;
    public const int MaxIdLength = 128;
    public const int MaxCommentLength = 500;
    public const int MaxTags = 10;
    public const int MaxTagLength = 32;
    public const int MaxContactFieldLength = 64;
    public static readonly TimeSpan MaxFuture = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan MaxPast = TimeSpan.FromDays(366);

    public WorkingCalendar Calendar => calendar;

    public ValidItem? Validate(EvaluationInput item, int index, DateTimeOffset now, List<FieldError> errors)
    {
        var field = new FieldPath(index);
        CheckId(item.Id, field, errors);
        var resolved = Resolve(item.InstitutionId, item.ServiceItem, item.Channel, field, errors);
        CheckServiceRecordId(item.ServiceRecordId, field, errors);

        if (item.Level is null)
        {
            errors.Add(new(field["level"], "level is required: a whole number from 1 (非常不满意) to 5 (非常满意)"));
        }
        else if (item.Level is < 1 or > 5)
        {
            errors.Add(new(field["level"], $"level must be from 1 to 5, got {item.Level}"));
        }

        if (item.Tags is { } tags)
        {
            if (tags.Count > MaxTags)
            {
                errors.Add(new(field["tags"], $"at most {MaxTags} tags, got {tags.Count}"));
            }

            for (var t = 0; t < tags.Count; t++)
            {
                if (string.IsNullOrWhiteSpace(tags[t]) || tags[t].Length > MaxTagLength || !IsCleanText(tags[t], allowLineBreaks: false))
                {
                    errors.Add(new(field[$"tags[{t}]"], $"a tag must be 1 to {MaxTagLength} printable characters"));
                }
            }
        }

        if (item.Comment is { } text && CharacterCount(text) is var length && length > MaxCommentLength)
        {
            errors.Add(new(field["comment"], $"comment must be at most {MaxCommentLength} characters (Unicode characters of any script, counted as sent), got {length}"));
        }
        else if (item.Comment is { } comment && !IsCleanText(comment, allowLineBreaks: true))
        {
            errors.Add(new(field["comment"], "comment must be readable text: no control characters (other than line breaks and tabs) and no broken surrogate pairs"));
        }

        CheckContact(item, field, errors);
        var when = CheckTime(item.OccurredAt, "occurredAt", now, field, errors);
        return resolved is { } r && when is { } w && errors.Count == 0 ? r with { Day = WorkingCalendar.ToLocalDate(w).ToDateOnly() } : null;
    }

    public ValidItem? Validate(ServiceRecordInput item, int index, DateTimeOffset now, List<FieldError> errors)
    {
        var field = new FieldPath(index);
        CheckId(item.Id, field, errors);
        var resolved = Resolve(item.InstitutionId, item.ServiceItem, item.Channel, field, errors);
        var accepted = CheckTime(item.AcceptedAt, "acceptedAt", now, field, errors);
        DateTimeOffset? completed = null;
        if (item.CompletedAt is not null)
        {
            completed = CheckTime(item.CompletedAt, "completedAt", now, field, errors);
            if (completed < accepted)
            {
                errors.Add(new(field["completedAt"], "completedAt must not be before acceptedAt"));
            }
        }

        if (resolved is null || accepted is null || errors.Count > 0)
        {
            return null;
        }

        return resolved with { Day = WorkingCalendar.ToLocalDate(completed ?? accepted.Value).ToDateOnly() };
    }

    private void CheckId(string? id, FieldPath field, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            errors.Add(new(field["id"], "id is required: the source's own unique id, used to recognise re-sends"));
        }
        else if (id.Length > MaxIdLength || !IsCleanText(id, allowLineBreaks: false))
        {
            errors.Add(new(field["id"], $"id must be at most {MaxIdLength} printable characters"));
        }
        else if (sender.Name == SourceNames.Default && SourceNames.LooksQualified(id))
        {
            errors.Add(new(field["id"], $"id must not begin with a source name and a colon ('{id[..id.IndexOf(':', StringComparison.Ordinal)]}:'): that is how the items of other sources are named"));
        }
    }

    /// <summary>一事一评: the 办件 id the rating is about, as the institution's records name it.</summary>
    private static void CheckServiceRecordId(string? id, FieldPath field, List<FieldError> errors)
    {
        if (id is not null && (string.IsNullOrWhiteSpace(id) || id.Length > MaxIdLength || !IsCleanText(id, allowLineBreaks: false)))
        {
            errors.Add(new(field["serviceRecordId"], $"serviceRecordId, when given, must be 1 to {MaxIdLength} printable characters: the id of the service record (办件) rated"));
        }
    }

    /// <summary>A source limited to cities, institutions or channels may send only for those; each limit is its own rule.</summary>
    private void CheckScope(Institution? institution, Channel? channel, FieldPath field, List<FieldError> errors)
    {
        var scope = sender.Scope;
        if (institution is not null && scope.Cities.Count > 0 && !scope.Cities.Contains(institution.CityCode))
        {
            errors.Add(new(field["institutionId"], $"source '{sender.Name}' may send only for cities {string.Join(", ", scope.Cities)}; institution '{institution.Id}' is in {institution.CityCode}"));
        }

        if (institution is not null && scope.Institutions.Count > 0 && !scope.Institutions.Contains(institution.Id))
        {
            errors.Add(new(field["institutionId"], $"source '{sender.Name}' may send only for institutions {string.Join(", ", scope.Institutions)}"));
        }

        if (channel is { } c && scope.Channels.Count > 0 && !scope.Channels.Contains(c))
        {
            errors.Add(new(field["channel"], $"source '{sender.Name}' may send only on the channels {string.Join(", ", scope.Channels.Select(ChannelName))}"));
        }
    }

    private ValidItem? Resolve(string? institutionId, string? serviceItem, string? channelName, FieldPath field, List<FieldError> errors)
    {
        Institution? institution = null;
        if (string.IsNullOrWhiteSpace(institutionId))
        {
            errors.Add(new(field["institutionId"], "institutionId is required"));
        }
        else if ((institution = registry.Find(institutionId)) is null)
        {
            errors.Add(new(field["institutionId"], $"unknown institution '{Shorten(institutionId)}'"));
        }

        ServiceItem? item = null;
        if (string.IsNullOrWhiteSpace(serviceItem))
        {
            errors.Add(new(field["serviceItem"], "serviceItem is required: a code from /api/v1/public/service-items"));
        }
        else if ((item = registry.FindItem(serviceItem, institution?.CityCode)) is null)
        {
            errors.Add(new(field["serviceItem"], $"unknown service item '{Shorten(serviceItem)}'"));
        }
        else if (institution is not null && !institution.Services.Contains(item.Code))
        {
            errors.Add(new(field["serviceItem"], $"institution '{institution.Id}' does not offer service item '{item.Code}'"));
        }

        Channel? channel = ParseChannel(channelName);
        if (channel is null)
        {
            errors.Add(new(field["channel"], "channel must be one of window, online, hotline"));
        }
        else if (institution is not null && !institution.Channels.Contains(channel.Value))
        {
            errors.Add(new(field["channel"], $"institution '{institution.Id}' does not serve on the {channelName} channel"));
        }

        CheckScope(institution, channel, field, errors);
        return institution is not null && item is not null && channel is not null
            ? new ValidItem(institution, item, channel.Value, default)
            : null;
    }

    private static void CheckContact(EvaluationInput item, FieldPath field, List<FieldError> errors)
    {
        if (!item.RealName)
        {
            if (item.Contact is not null)
            {
                errors.Add(new(field["contact"], "contact must be omitted unless realName is true: anonymous ratings carry no personal data"));
            }

            return;
        }

        if (item.Contact is null || (string.IsNullOrWhiteSpace(item.Contact.Name) && string.IsNullOrWhiteSpace(item.Contact.Phone)))
        {
            errors.Add(new(field["contact"], "a real-name rating needs contact.name or contact.phone for the call-back"));
            return;
        }

        if (item.Contact.Name is { } name && (name.Length > MaxContactFieldLength || !IsCleanText(name, allowLineBreaks: false)))
        {
            errors.Add(new(field["contact.name"], $"contact.name must be at most {MaxContactFieldLength} printable characters"));
        }

        if (item.Contact.Phone is { } phone && (phone.Length > MaxContactFieldLength || !phone.All(c => char.IsAsciiDigit(c) || c is '+' or '-' or ' ' or '(' or ')')))
        {
            errors.Add(new(field["contact.phone"], "contact.phone may hold only digits, spaces and + - ( )"));
        }
    }

    private static DateTimeOffset? CheckTime(DateTimeOffset? value, string name, DateTimeOffset now, FieldPath field, List<FieldError> errors)
    {
        if (value is null)
        {
            errors.Add(new(field[name], $"{name} is required: an ISO-8601 time with offset, e.g. 2026-11-24T10:03:00+08:00"));
            return null;
        }

        if (value > now + MaxFuture)
        {
            errors.Add(new(field[name], $"{name} lies in the future: at most {MaxFuture.TotalMinutes:0} minutes ahead of the server clock is allowed"));
            return null;
        }

        if (value < now - MaxPast)
        {
            errors.Add(new(field[name], $"{name} lies more than {MaxPast.TotalDays:0} days in the past"));
            return null;
        }

        return value;
    }

    public static Channel? ParseChannel(string? name) => name switch
    {
        "window" => Channel.Window,
        "online" => Channel.Online,
        "hotline" => Channel.Hotline,
        _ => null,
    };

    /// <summary>The contract's name of a channel, the inverse of <see cref="ParseChannel"/>.</summary>
    public static string ChannelName(Channel channel) => channel switch
    {
        Channel.Window => "window",
        Channel.Online => "online",
        Channel.Hotline => "hotline",
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "Unknown channel."),
    };

    /// <summary>
    /// Text that can be stored and shown as it is: no control characters (PostgreSQL refuses NUL outright)
    /// and no half of a surrogate pair, which has no UTF-8 form.
    /// </summary>
    public static bool IsCleanText(string text, bool allowLineBreaks)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c) || (char.IsControl(c) && !(allowLineBreaks && c is '\n' or '\r' or '\t')))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Characters as a person counts them: an emoji or a rare ideograph outside the BMP is one, not the two UTF-16
    /// units <see cref="string.Length"/> counts. Counted as sent, before redaction, which only ever shortens a comment.
    /// </summary>
    public static int CharacterCount(string text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            count++;
        }

        return count;
    }

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "…";

    private readonly record struct FieldPath(int Index)
    {
        public string this[string name] => $"items[{Index}].{name}";
    }
}
