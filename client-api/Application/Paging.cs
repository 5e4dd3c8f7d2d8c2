using Evaluation.Contracts.Ingestion;

namespace Evaluation.ClientApi.Application;

/// <summary>A page of a list as the caller asked for it, checked once for every list of the API.</summary>
public readonly record struct Paging(int Page, int PageSize)
{
    public const int DefaultPageSize = 20;

    public const int MaxPageSize = 100;

    /// <summary>The page asked for (default the first, of <paramref name="defaultSize"/> items), or a refusal naming each bad parameter.</summary>
    public static Paging Of(int? page, int? pageSize, int maxPageSize = MaxPageSize, int defaultSize = DefaultPageSize)
    {
        var errors = new List<FieldError>();
        if (page is < 1)
        {
            errors.Add(new FieldError("page", "page counts from 1"));
        }

        if (pageSize < 1 || pageSize > maxPageSize)
        {
            errors.Add(new FieldError("pageSize", $"pageSize must be from 1 to {maxPageSize}"));
        }

        return errors.Count > 0
            ? throw Refusal.Invalid("Invalid request", errors)
            : new Paging(page ?? 1, pageSize ?? defaultSize);
    }
}
