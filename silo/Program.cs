using Evaluation.Grains.Hosting;
using Evaluation.Silo;
using Microsoft.Extensions.Hosting;

// `--in-memory` is the documented switch; configuration knows it as Evaluation:InMemory.
args = [.. args.Select(a => a == "--in-memory" ? "--Evaluation:InMemory=true" : a)];
var builder = Host.CreateApplicationBuilder(args);
var settings = SiloConfiguration.Read(builder.Configuration);
SiloConfiguration.ExitOnProblems(settings);

if (settings.InMemory)
{
    Console.Error.WriteLine(SiloConfiguration.InMemoryWarning);
}

builder.UseOrleans(silo => silo.AddEvaluation(settings));
await builder.Build().RunAsync();
