using Evaluation.ClientApi.Application;
using Evaluation.Contracts.Cases;
using Evaluation.Contracts.Registry;

namespace Evaluation.ClientApi.Pages.Consoles;

/// <summary>A follow-up with the names of its institution and service item, as the queue and the appeals list show it.</summary>
public sealed record FollowUpRow(FollowUp FollowUp, string InstitutionName, string ServiceItemName)
{
    /// <summary>The stage the follow-up is in is past its deadline: marked in the lists.</summary>
    public bool IsOverdue(DateTimeOffset now) => FollowUp.IsOverdueAt(now);
}

/// <summary>
/// The officer's 差评 queue as its GET form asks for it: the city's follow-ups still open, deadline soonest first.
/// A word the form never offers is ignored rather than refused, so an edited address still shows a list.
/// </summary>
public sealed class FollowUpQueueQuery
{
    public const int PageSize = 20;

    /// <summary>The states of a follow-up still in the city's hands or the province's; closed and excluded ones leave the queue.</summary>
    public static IReadOnlyList<FollowUpState> OpenStates { get; } =
        [FollowUpState.Open, FollowUpState.Rectifying, FollowUpState.Rectified, FollowUpState.Appealed];

    public string? State { get; set; }

    public string? Institution { get; set; }

    public string? ServiceItem { get; set; }

    public string? Channel { get; set; }

    public byte? Level { get; set; }

    public bool? Overdue { get; set; }

    public int Page { get; set; } = 1;

    public FollowUpFilter ToFilter() => new(
        State is not null && ContractWords.TryParse<FollowUpState>(State, out var state) ? state : null,
        Overdue == true ? true : null,
        Blank(Institution),
        Blank(ServiceItem),
        Channel is not null && ContractWords.TryParse<Channel>(Channel, out var channel) ? channel : null,
        Level is 1 or 2 ? Level : null,
        OpenOnly: true,
        FollowUpOrder.DueSoonest,
        Math.Max(1, Page),
        PageSize);

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

/// <summary>One page of the queue, with what its filters offer and the address of any other page.</summary>
public sealed record FollowUpQueue(
    IReadOnlyList<FollowUpRow> Rows,
    int Total,
    int Page,
    FollowUpQueueQuery Query,
    string? City,
    IReadOnlyList<(string Id, string Name)> Institutions,
    IReadOnlyList<(string Code, string Name)> ServiceItems,
    Func<int, string> PageUrl)
{
    public int Pages => Math.Max(1, (Total + FollowUpQueueQuery.PageSize - 1) / FollowUpQueueQuery.PageSize);
}
