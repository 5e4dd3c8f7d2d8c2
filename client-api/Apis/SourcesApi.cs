using System.Security.Cryptography;
using Evaluation.ClientApi.Application;
using Evaluation.ClientApi.Extensions;
using Evaluation.ClientApi.Security;
using Evaluation.ClientApi.Security.Sources;
using Evaluation.Contracts.Grains;
using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Registry;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Evaluation.ClientApi.Apis;

/// <summary>
/// Rating sources (SPEC 4.5.2): created, rotated and revoked by an operator, each key shown once and stored only as a
/// salted hash; what one source sent listed, and its ratings excluded, for a time range.
/// </summary>
public static class SourcesApi
{
    /// <summary>How long a rotated-out key keeps working unless the rotation says otherwise, so a source can switch over.</summary>
    public static readonly TimeSpan DefaultGrace = TimeSpan.FromHours(24);

    public static readonly TimeSpan MaxGrace = TimeSpan.FromDays(7);

    public static void MapSourcesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/admin/sources").WithTags("Administration").AcceptsAdminKey();
        api.MapGet("", ListSources).WithSummary("Every rating source: the created ones with their limits and dates, and the configured keys. Needs X-Admin-Key.");
        api.MapPost("", CreateSource).ProducesProblem(StatusCodes.Status409Conflict).WithSummary("Create a rating source; the answer holds its key, shown this once. Needs X-Admin-Key.");
        api.MapPost("/{name}/rotation", RotateSource)
            .WithSummary("Give a source a new key (shown this once); the previous one keeps working for graceMinutes (default 1440, at most 10080, 0 ends it now). Needs X-Admin-Key.");
        api.MapPost("/{name}/revocation", RevokeSource).WithSummary("Revoke a source: its keys stop working on every API host within 5 s. Needs X-Admin-Key.");
        api.MapGet("/{name}/items", ListItems).WithSummary("What a source sent, received from `from` to `to`, oldest first. Needs X-Admin-Key.");
        api.MapPost("/{name}/exclusions", ExcludeItems)
            .WithSummary("Exclude every rating a source sent from `from` to `to` from all scores, as an upheld appeal does; nothing is deleted, and calling again changes nothing. Needs X-Admin-Key.");
    }

    private static async Task<Ok<SourceList>> ListSources(HttpContext http, ApiSettings settings, SourceDirectory directory)
    {
        directory.Invalidate();
        var created = await directory.SourcesAsync(http.RequestAborted);
        return TypedResults.Ok(new SourceList(
            [.. created.Values.OrderBy(s => s.Name, StringComparer.Ordinal).Select(SourceView.From)],
            [.. settings.SourceKeys.Keys.Append(SourceNames.Default).Distinct().Order(StringComparer.Ordinal)]));
    }

    private static async Task<Created<SourceKeyAnswer>> CreateSource(
        HttpContext http, SourceDirectory directory, ISourceStore store, IClusterClient cluster, TimeProvider time, NewSource body)
    {
        var errors = await ValidateAsync(body, cluster);
        if (body.Name is { } taken && SourceNames.IsValid(taken) && directory.IsConfigured(taken))
        {
            errors.Add(new FieldError("name", $"'{taken}' is the name of a configured key (Evaluation:SourceKeys or EVAL_SOURCE_KEY)"));
        }

        if (errors.Count > 0)
        {
            throw Refusal.Invalid("The source was not created", errors);
        }

        var key = NewKey(body.Name!);
        var source = new SourceRecord(body.Name!, SourceKeyHash.Create(key), null, null, body.Cities ?? [], body.Institutions ?? [],
            body.Channels ?? [], body.PerMinute, time.GetUtcNow(), null, null);
        if (!await store.CreateAsync(source, http.RequestAborted))
        {
            throw Refusal.Conflict($"A source named '{source.Name}' exists already; rotate its key instead.", "Source exists");
        }

        directory.Invalidate();
        return TypedResults.Created($"/api/v1/admin/sources/{source.Name}", new SourceKeyAnswer(key, SourceView.From(source)));
    }

    private static async Task<Ok<SourceKeyAnswer>> RotateSource(
        HttpContext http, SourceDirectory directory, ISourceStore store, TimeProvider time, string name, Rotation? body)
    {
        var grace = body?.GraceMinutes is { } minutes ? TimeSpan.FromMinutes(minutes) : DefaultGrace;
        if (grace < TimeSpan.Zero || grace > MaxGrace)
        {
            throw Refusal.Invalid("graceMinutes", $"graceMinutes must be from 0 to {MaxGrace.TotalMinutes:0}", "The key was not rotated");
        }

        var current = await ActiveAsync(directory, name, http.RequestAborted);

        var now = time.GetUtcNow();
        var key = NewKey(name);
        var rotated = current with { KeyHash = SourceKeyHash.Create(key), PreviousKeyHash = current.KeyHash, PreviousValidUntil = now + grace, RotatedAt = now };
        await store.UpdateAsync(rotated, http.RequestAborted);
        directory.Invalidate();
        return TypedResults.Ok(new SourceKeyAnswer(key, SourceView.From(rotated)));
    }

    private static async Task<Ok<SourceView>> RevokeSource(
        HttpContext http, SourceDirectory directory, ISourceStore store, TimeProvider time, string name)
    {
        var current = await ActiveAsync(directory, name, http.RequestAborted);

        var revoked = current with { RevokedAt = time.GetUtcNow() };
        await store.UpdateAsync(revoked, http.RequestAborted);
        directory.Invalidate();
        return TypedResults.Ok(SourceView.From(revoked));
    }

    private static async Task<Ok<SourcedEventPage>> ListItems(
        IClusterClient cluster, string name, DateTimeOffset? from, DateTimeOffset? to, int? page, int? pageSize)
    {
        var paging = Paging.Of(page, pageSize, maxPageSize: 1000, defaultSize: 100);
        var (start, end) = CheckRange(from, to, "Not listed");
        return TypedResults.Ok(await cluster.GetGrain<ISourceLogGrain>(0).List(name, start, end, paging.Page, paging.PageSize));
    }

    private static async Task<Ok<SourceExclusionResult>> ExcludeItems(IClusterClient cluster, string name, TimeRange body)
    {
        var (start, end) = CheckRange(body.From, body.To, "Nothing was excluded");
        return TypedResults.Ok(await cluster.GetGrain<ISourceLogGrain>(0).ExcludeRatings(name, start, end));
    }

    private static (DateTimeOffset From, DateTimeOffset To) CheckRange(DateTimeOffset? from, DateTimeOffset? to, string refused)
    {
        if (from is null || to is null)
        {
            throw Refusal.Invalid(from is null ? "from" : "to", "from and to are required: ISO-8601 times with offset; the range is from inclusive, to exclusive, by the time the log received each item", refused);
        }

        return to > from ? (from.Value, to.Value) : throw Refusal.Invalid("to", "to must be after from", refused);
    }

    private static async Task<List<FieldError>> ValidateAsync(NewSource body, IClusterClient cluster)
    {
        var errors = new List<FieldError>();
        if (!SourceNames.IsValid(body.Name))
        {
            errors.Add(new FieldError("name", $"name is required: 1 to {SourceNames.MaxLength} lower-case letters, digits and hyphens, starting with a letter or digit"));
        }

        var registry = await cluster.GetGrain<IRegistryGrain>(0).GetSnapshot();
        var cities = registry.Divisions.Where(d => d.Level == DivisionLevel.City).Select(d => d.Code).ToHashSet(StringComparer.Ordinal);
        var institutions = registry.Institutions.Select(i => i.Id).ToHashSet(StringComparer.Ordinal);
        CheckEach(body.Cities, "cities", cities.Contains, "is not a prefecture city's code", errors);
        CheckEach(body.Institutions, "institutions", institutions.Contains, "is not an institution of the registry", errors);
        CheckEach(body.Channels, "channels", c => c is "window" or "online" or "hotline", "is not one of window, online, hotline", errors);
        if (body.PerMinute is < 1 or > 1_000_000)
        {
            errors.Add(new FieldError("perMinute", "perMinute, when given, must be from 1 to 1000000 batches a minute"));
        }

        return errors;
    }

    private static void CheckEach(IReadOnlyList<string>? values, string field, Func<string, bool> known, string problem, List<FieldError> errors)
    {
        for (var i = 0; i < (values?.Count ?? 0); i++)
        {
            if (!known(values![i]))
            {
                errors.Add(new FieldError($"{field}[{i}]", $"'{values[i]}' {problem}"));
            }
        }
    }

    /// <summary>The created source of that name that is not revoked; 404 for any other name.</summary>
    private static async Task<SourceRecord> ActiveAsync(SourceDirectory directory, string name, CancellationToken cancellationToken)
    {
        directory.Invalidate();
        return (await directory.SourcesAsync(cancellationToken)).TryGetValue(name, out var source) && source.RevokedAt is null
            ? source
            : throw Refusal.NotFound($"No created source named '{name}' is active (configured keys change in configuration only).", "No such source");
    }

    /// <summary><c>name.secret</c>: the name finds the source's hash without trying every hash; the secret is 256 random bits.</summary>
    private static string NewKey(string name) => $"{name}.{Base64Url(RandomNumberGenerator.GetBytes(32))}";

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

public sealed record NewSource(string? Name, IReadOnlyList<string>? Cities, IReadOnlyList<string>? Institutions, IReadOnlyList<string>? Channels, int? PerMinute);

public sealed record Rotation(int? GraceMinutes);

public sealed record TimeRange(DateTimeOffset? From, DateTimeOffset? To);

/// <summary>A source as an operator sees it; never its key or hash.</summary>
public sealed record SourceView(
    string Name,
    IReadOnlyList<string> Cities,
    IReadOnlyList<string> Institutions,
    IReadOnlyList<string> Channels,
    int? PerMinute,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RotatedAt,
    DateTimeOffset? PreviousKeyValidUntil,
    DateTimeOffset? RevokedAt)
{
    public static SourceView From(SourceRecord s) =>
        new(s.Name, s.Cities, s.Institutions, s.Channels, s.PerMinute, s.CreatedAt, s.RotatedAt, s.PreviousValidUntil, s.RevokedAt);
}

public sealed record SourceKeyAnswer(string Key, SourceView Source);

public sealed record SourceList(IReadOnlyList<SourceView> Created, IReadOnlyList<string> Configured);
