namespace Evaluation.ClientApi.Application;

public static class ApplicationServiceExtensions
{
    /// <summary>The services the JSON endpoints and the consoles share; each holds no state but the cluster client.</summary>
    public static IServiceCollection AddApplication(this IServiceCollection services) => services
        .AddSingleton<AlertService>()
        .AddSingleton<AuditService>()
        .AddSingleton<FollowUpService>()
        .AddSingleton<SubscriptionService>();
}
