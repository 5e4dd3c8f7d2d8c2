using System.Globalization;
using Evaluation.Simulator;

var parsed = SimulatorOptions.Command.Parse(args);
if (parsed.Errors.Count > 0)
{
    Console.Error.WriteLine($"simulator: {parsed.Errors[0].Message} (see --help)");
    return 2;
}

// --help (or --version) has an action of its own; the simulation runs only without one.
if (parsed.Action is not null)
{
    return parsed.Invoke();
}

var options = SimulatorOptions.From(parsed, Environment.GetEnvironmentVariable("EVAL_SOURCE_KEY"));

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl-C ends generation gracefully so the final report still comes; a second one kills.
    e.Cancel = !stop.IsCancellationRequested;
    stop.Cancel();
};

using var http = new HttpClient { BaseAddress = options.Url, Timeout = TimeSpan.FromSeconds(60) };
Registry registry;
try
{
    registry = await new RegistryReader(http).ReadAsync(stop.Token);
}
catch (Exception e) when (e is HttpRequestException or System.Text.Json.JsonException or TaskCanceledException)
{
    Console.Error.WriteLine($"simulator: cannot read the registry from {options.Url}: {e.Message}");
    return 1;
}

if (registry.Institutions.Count == 0 || registry.ServiceItems.Count == 0)
{
    Console.Error.WriteLine($"simulator: {options.Url} publishes {registry.Institutions.Count} institutions and {registry.ServiceItems.Count} service items; nothing to simulate");
    return 1;
}

// Ids carry the start time so that a second run with the same seed sends new items, not duplicates.
var runTag = DateTime.UtcNow.ToString("yyMMddHHmmss", CultureInfo.InvariantCulture);
var model = new TrafficModel(registry, new Random(options.Seed), TimeProvider.System, runTag);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"simulator: {registry.Institutions.Count} institutions, {registry.ServiceItems.Count} service items at {options.Url}; seed {options.Seed}, run {runTag}; up to {options.Count} ratings at {options.Rate}/s for at most {options.Duration.TotalSeconds}s in batches of {options.BatchSize}"));

var progress = new Progress();
await new TrafficPump(model, new IngestClient(http, options.Key), options, progress).RunAsync(Console.Out, stop.Token);
Console.WriteLine(progress.Report(final: true));
return progress.Clean ? 0 : 1;
