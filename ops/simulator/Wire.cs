namespace Evaluation.Simulator;

/// <summary>The contact details of a real-name rater; the simulator only ever invents fictitious ones.</summary>
internal sealed record Contact(string Name, string Phone);

/// <summary>One rating as SPEC 4.5.1 puts it on the wire, naming the service record it rates (一事一评, SPEC 4.5.2).</summary>
internal sealed record EvaluationItem(
    string Id,
    string InstitutionId,
    string ServiceItem,
    string Channel,
    int Level,
    IReadOnlyList<string>? Tags,
    string? Comment,
    bool RealName,
    Contact? Contact,
    DateTimeOffset OccurredAt,
    string ServiceRecordId);

/// <summary>One handled service; sent again with <see cref="CompletedAt"/> it completes the open record.</summary>
internal sealed record ServiceRecordItem(
    string Id,
    string InstitutionId,
    string ServiceItem,
    string Channel,
    DateTimeOffset AcceptedAt,
    DateTimeOffset? CompletedAt);

internal sealed record Batch<T>(IReadOnlyList<T> Items);

/// <summary>The API's answer to a batch; item status is left out because only the counts and the errors are reported.</summary>
internal sealed record BatchAnswer(int Accepted, int Duplicates, int Rejected, IReadOnlyList<ItemAnswer>? Results);

internal sealed record ItemAnswer(string? Id, IReadOnlyList<ItemError>? Errors);

internal sealed record ItemError(string? Field, string? Message);
