using System.Net;
using Evaluation.Grains.Hosting;
using Evaluation.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Orleans.Hosting.Kubernetes;

namespace Evaluation.Silo;

internal static class SiloConfiguration
{
    public const string InMemoryWarning = """
        ************************************************************************
        *  IN-MEMORY MODE: no database. Ratings, aggregates and the registry    *
        *  live only in this process. NOTHING SURVIVES A RESTART.               *
        ************************************************************************
        """;

    /// <summary>Section "Evaluation" (whose keys the documented environment variables are aliases of).</summary>
    public static EvaluationSettings Read(IConfiguration configuration)
    {
        var settings = HostSettings.Bind<EvaluationSettings>(configuration);
        if (settings.InMemory && settings.ContactKey is null)
        {
            // Nothing is kept in this mode, so a key that dies with the process is exactly right.
            settings.ContactKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        }

        return settings;
    }

    /// <summary>
    /// Everything wrong with the settings, one sentence each; in Kubernetes mode also with the pod's
    /// environment, read through <paramref name="environment"/> (a variable's value, or null).
    /// </summary>
    public static IReadOnlyList<string> Problems(EvaluationSettings settings, Func<string, string?> environment)
    {
        var problems = settings.Validate().ToList();
        if (settings.Kubernetes)
        {
            problems.AddRange(PodProblems(settings, environment));
        }

        return problems;
    }

    // Orleans' Kubernetes hosting falls back to the host name, the service account's namespace or a DNS
    // look-up when these are missing, and a silo that guessed wrong joins the cluster under a name no pod
    // has, which the other silos then declare dead. Better to refuse to start and say what the pod lacks.
    private static IEnumerable<string> PodProblems(EvaluationSettings settings, Func<string, string?> environment)
    {
        string[] required =
        [
            KubernetesHostingOptions.PodNameEnvironmentVariable,
            KubernetesHostingOptions.PodNamespaceEnvironmentVariable,
            KubernetesHostingOptions.PodIPEnvironmentVariable,
            KubernetesHostingOptions.ServiceIdEnvironmentVariable,
            KubernetesHostingOptions.ClusterIdEnvironmentVariable,
        ];
        var missing = required.Where(name => string.IsNullOrWhiteSpace(environment(name))).ToList();
        if (missing.Count > 0)
        {
            yield return $"Evaluation:Kubernetes needs the pod's environment variables {string.Join(", ", required)}; missing: {string.Join(", ", missing)}. "
                + "Set them from the downward API (metadata.name, metadata.namespace, status.podIP and the pod labels orleans/serviceId and orleans/clusterId) as ops/kubernetes/silo.yaml does.";
        }

        if (environment(KubernetesHostingOptions.PodIPEnvironmentVariable) is { Length: > 0 } podIp && !IPAddress.TryParse(podIp, out _))
        {
            yield return $"POD_IP '{podIp}' is not an IP address; set it from the downward API's status.podIP.";
        }

        // The labels decide the silos' cluster; API hosts join the cluster named by their own Evaluation:ServiceId
        // and Evaluation:ClusterId, so a label that differs would leave them without silos.
        foreach (var (variable, label, key, configured) in new[]
        {
            (KubernetesHostingOptions.ServiceIdEnvironmentVariable, KubernetesHostingOptions.ServiceIdLabel, "ServiceId", settings.ServiceId),
            (KubernetesHostingOptions.ClusterIdEnvironmentVariable, KubernetesHostingOptions.ClusterIdLabel, "ClusterId", settings.ClusterId),
        })
        {
            if (environment(variable) is { Length: > 0 } fromLabel && fromLabel != configured)
            {
                yield return $"The pod label {label} ({variable}={fromLabel}) differs from Evaluation:{key} ({configured}); API hosts join by Evaluation:{key}, so set the label and Evaluation:{key} of silos and API hosts to the same value.";
            }
        }
    }

    /// <summary>The silo's settings, or exit code 2 with one line per problem: a supervisor restarting it would not help.</summary>
    public static T ReadOrExit<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (OptionsValidationException refused)
        {
            foreach (var problem in refused.Failures)
            {
                Console.Error.WriteLine(problem);
            }

            Environment.Exit(2);
            throw;
        }
    }
}
