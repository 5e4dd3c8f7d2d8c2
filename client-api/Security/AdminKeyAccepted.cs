namespace Evaluation.ClientApi.Security;

/// <summary>
/// Endpoint metadata: the handler admits the operator key in X-Admin-Key or a province supervisor
/// (<c>AdminApi.Refuse</c>); the OpenAPI document reads it to show both ways in.
/// </summary>
public sealed class AdminKeyAccepted
{
    public static readonly AdminKeyAccepted Instance = new();

    private AdminKeyAccepted()
    {
    }
}

public static class AdminKeyAcceptedExtensions
{
    public static TBuilder AcceptsAdminKey<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(AdminKeyAccepted.Instance);
}
