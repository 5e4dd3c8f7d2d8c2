using System.Globalization;
using System.Net;

namespace Evaluation.Simulator;

internal sealed record SimulatorOptions(
    Uri Url,
    double Rate,
    int Count,
    TimeSpan Duration,
    int Seed,
    int BatchSize,
    string Key)
{
    public const string DefaultUrl = "http://127.0.0.1:5080";
    public const int MaxBatchSize = 5000;

    public const string Help = """
        Usage: dotnet Evaluation.Simulator.dll [options]

        Posts realistic 好差评 traffic (evaluations and service records) to a running
        Evaluation system, then reports what it acknowledged. It reads the registry
        from the public API first, so start the system (ops/run) before this.

        Options:
          --url URL         base URL of the API (default http://127.0.0.1:5080);
                            only loopback hosts are accepted (127.0.0.0/8, ::1, localhost)
          --rate N          ratings per second (default 50)
          --count N         stop after N ratings (default 5000)
          --duration S      stop after S seconds (default 120)
          --seed N          random seed, for repeatable traffic (default: random)
          --batch N         items per POST, 1..5000 (default 100)
          --key KEY         source API key (default: env EVAL_SOURCE_KEY, else dev-source-key)
          -h, --help        show this help

        Exit code: 0 when every item was accepted or recognised as a duplicate,
        1 when any item was rejected or any request failed, 2 on bad options.
        """;

    /// <summary>Parses the command line; returns null with <paramref name="error"/> set when it is unusable.</summary>
    public static SimulatorOptions? Parse(IReadOnlyList<string> args, string? environmentKey, out string? error)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                error = $"unexpected argument '{arg}'";
                return null;
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                values[arg[2..equals]] = arg[(equals + 1)..];
            }
            else if (i + 1 < args.Count)
            {
                values[arg[2..]] = args[++i];
            }
            else
            {
                error = $"option '{arg}' needs a value";
                return null;
            }
        }

        var unknown = values.Keys.Except(["url", "rate", "count", "duration", "seed", "batch", "key"]).FirstOrDefault();
        if (unknown is not null)
        {
            error = $"unknown option '--{unknown}'";
            return null;
        }

        error = null;
        var urlText = values.GetValueOrDefault("url", DefaultUrl);
        if (!Uri.TryCreate(urlText, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            error = $"--url '{urlText}' is not an http(s) URL";
        }
        else if (!IsLoopback(url))
        {
            error = $"--url '{urlText}' is not a loopback address; the simulator only ever loads a system on this machine";
        }

        var rate = Number(values, "rate", 50.0, 0.01, 1_000_000, whole: false, ref error);
        var count = (int)Number(values, "count", 5000, 1, int.MaxValue, whole: true, ref error);
        var duration = Number(values, "duration", 120, 1, 86_400, whole: false, ref error);
        var seed = (int)Number(values, "seed", Random.Shared.Next(), int.MinValue, int.MaxValue, whole: true, ref error);
        var batch = (int)Number(values, "batch", 100, 1, MaxBatchSize, whole: true, ref error);
        var key = values.GetValueOrDefault("key") ?? (string.IsNullOrEmpty(environmentKey) ? "dev-source-key" : environmentKey);

        return error is null
            ? new SimulatorOptions(url!, rate, count, TimeSpan.FromSeconds(duration), seed, batch, key)
            : null;
    }

    /// <summary>True for localhost and loopback addresses only: a load generator must never hit a shared system by accident.</summary>
    public static bool IsLoopback(Uri url)
    {
        var host = url.Host.Trim('[', ']');
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }

    private static double Number(Dictionary<string, string> values, string name, double fallback, double min, double max, bool whole, ref string? error)
    {
        if (!values.TryGetValue(name, out var text))
        {
            return fallback;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && value >= min && value <= max && (!whole || value == Math.Floor(value)))
        {
            return value;
        }

        error ??= $"--{name} '{text}' must be {(whole ? "a whole number" : "a number")} between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}";
        return fallback;
    }
}
