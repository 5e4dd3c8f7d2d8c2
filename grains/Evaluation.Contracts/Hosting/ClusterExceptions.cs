using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Evaluation.Contracts.Hosting;

/// <summary>
/// Which exception types may cross between silos and API hosts. Orleans places grains under a Polly timeout, and
/// when that fires the <see cref="TimeoutException"/> it answers with carries Polly's own exception inside; Orleans
/// writes exceptions only of the namespaces it is told of ("Microsoft", "System", "Azure"), so the answer could not be
/// written and the caller got a codec error instead of the timeout: the API host answered 500 where a silo partition
/// calls for 503 with Retry-After (seen in the network-fault tests).
/// </summary>
public static class ClusterExceptions
{
    public static readonly IReadOnlyList<string> ExtraNamespaces = ["Polly"];

    public static IServiceCollection AddClusterExceptionTypes(this IServiceCollection services) =>
        services.Configure<ExceptionSerializationOptions>(options =>
        {
            foreach (var prefix in ExtraNamespaces)
            {
                options.SupportedNamespacePrefixes.Add(prefix);
            }
        });
}
