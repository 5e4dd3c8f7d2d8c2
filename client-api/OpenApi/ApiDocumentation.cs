namespace Evaluation.ClientApi.OpenApi;

/// <summary>
/// The OpenAPI document a rating source or a console generates its client from: what can be derived from the
/// endpoints' metadata (names, authorization, failures) is added by transformers, not written on every endpoint.
/// </summary>
public static class ApiDocumentation
{
    public static IServiceCollection AddApiDocumentation(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddOperationTransformer<OperationConventions>();
            options.AddDocumentTransformer<DocumentDescription>();
        });
}
