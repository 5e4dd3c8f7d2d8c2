using System.Net;
using Evaluation.Grains.Hosting;
using Evaluation.ServiceDefaults;
using Evaluation.Silo;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Hosting.Kubernetes;

// `--in-memory` is the documented switch; configuration knows it as Evaluation:InMemory.
args = [.. args.Select(a => a == "--in-memory" ? "--Evaluation:InMemory=true" : a)];
var builder = Host.CreateApplicationBuilder(args);
var settings = SiloConfiguration.ReadOrExit(() =>
{
    builder.AddServiceDefaults("evaluation-silo");
    return builder.AddValidatedSettings(SiloConfiguration.Read, s => SiloConfiguration.Problems(s, Environment.GetEnvironmentVariable));
});

if (settings.InMemory)
{
    Console.Error.WriteLine(SiloConfiguration.InMemoryWarning);
}

builder.UseOrleans(silo =>
{
    silo.AddEvaluation(settings);
    silo.AddDashboard();
    if (settings.Kubernetes)
    {
        // Orleans' own endpoint defaults fill an empty advertised address with the host's first address
        // before Kubernetes hosting would use POD_IP, so the pod's IP (checked at start) is set here.
        var podIp = IPAddress.Parse(Environment.GetEnvironmentVariable(KubernetesHostingOptions.PodIPEnvironmentVariable)!);
        silo.Configure<EndpointOptions>(o => o.AdvertisedIPAddress = podIp);
        // A silo the cluster declared dead gets its pod deleted, so its Deployment starts a fresh one.
        silo.UseKubernetesHosting(options => options.Configure(o => o.DeleteDefunctSiloPods = true));
    }
});
await builder.Build().RunAsync();
