using System.Security.Cryptography;
using System.Text;
using Evaluation.ClientApi.Application;
using Evaluation.ClientApi.Extensions;

namespace Evaluation.ClientApi.Security;

/// <summary>
/// Endpoint metadata: the endpoint admits the operator key in X-Admin-Key or a province supervisor (checked by
/// the filter <see cref="AdminKeyAcceptedExtensions.AcceptsAdminKey"/> adds); the OpenAPI document reads it to
/// show both ways in.
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
    /// <summary>
    /// A province supervisor's token, or the operator key for scripted imports run outside any person's session;
    /// anyone else is refused 403 before the handler runs.
    /// </summary>
    public static TBuilder AcceptsAdminKey<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(AdminKeyAccepted.Instance).AddEndpointFilter((context, next) =>
        {
            var http = context.HttpContext;
            return http.User.IsSupervisor() || HoldsAdminKey(http) ? next(context) : throw Refusal.Forbidden(
                "Administration refused",
                "Send a province supervisor's bearer token, or the operator key in the X-Admin-Key header (disabled while EVAL_ADMIN_KEY is unset).");
        });

    private static bool HoldsAdminKey(HttpContext http)
    {
        var key = http.RequestServices.GetRequiredService<ApiSettings>().AdminKey;
        var given = Encoding.UTF8.GetBytes(http.Request.Headers["X-Admin-Key"].ToString());
        return key.Length > 0 && CryptographicOperations.FixedTimeEquals(given, Encoding.UTF8.GetBytes(key));
    }
}
