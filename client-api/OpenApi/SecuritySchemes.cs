using Microsoft.OpenApi;

namespace Evaluation.ClientApi.OpenApi;

/// <summary>The three ways a caller proves who it is (SPEC 4.5), as OpenAPI security schemes.</summary>
public static class SecuritySchemes
{
    public const string Bearer = "bearer";
    public const string SourceKey = "sourceKey";
    public const string AdminKey = "adminKey";

    private static readonly (string Id, Func<OpenApiSecurityScheme> Create)[] All =
    [
        (Bearer, () => new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "A token of a province supervisor (role province-supervisor) or a city officer (role city-officer with a city claim).",
        }),
        (SourceKey, () => new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "X-Api-Key",
            Description = "A rating source's key, given when the source was created (or EVAL_SOURCE_KEY).",
        }),
        (AdminKey, () => new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "X-Admin-Key",
            Description = "The operator key (EVAL_ADMIN_KEY); administration is refused while it is unset, except to a province supervisor.",
        }),
    ];

    /// <summary>Registers the schemes once, so that operations can refer to them.</summary>
    public static void EnsureIn(OpenApiDocument document)
    {
        foreach (var (id, create) in All)
        {
            if (document.Components?.SecuritySchemes?.ContainsKey(id) != true)
            {
                document.AddComponent<IOpenApiSecurityScheme>(id, create());
            }
        }
    }

    /// <summary>A requirement met by any one of <paramref name="schemes"/>; none means anonymous.</summary>
    public static List<OpenApiSecurityRequirement> AnyOf(OpenApiDocument document, IEnumerable<string> schemes) =>
        [.. schemes.Select(id => new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(id, document)] = [] })];
}
