using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Numerics;

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

    private static readonly Option<string> UrlOption = new("--url")
    {
        Description = "base URL of the API; only loopback hosts are accepted (127.0.0.0/8, ::1, localhost)",
        HelpName = "URL",
        DefaultValueFactory = _ => DefaultUrl,
        Validators =
        {
            result =>
            {
                var text = result.GetValueOrDefault<string>();
                if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
                {
                    result.AddError($"--url '{text}' is not an http(s) URL");
                }
                else if (!IsLoopback(url))
                {
                    result.AddError($"--url '{text}' is not a loopback address; the simulator only ever loads a system on this machine");
                }
            },
        },
    };

    private static readonly Option<double> RateOption = Between("--rate", "N", "ratings per second", 50.0, 0.01, 1_000_000);
    private static readonly Option<int> CountOption = Between("--count", "N", "stop after N ratings", 5000, 1, int.MaxValue);
    private static readonly Option<double> DurationOption = Between("--duration", "S", "stop after S seconds", 120.0, 1, 86_400);
    private static readonly Option<int> BatchOption = Between("--batch", "N", "items per POST", 100, 1, MaxBatchSize);

    private static readonly Option<int?> SeedOption = new("--seed")
    {
        Description = "random seed, for repeatable traffic (default: random)",
        HelpName = "N",
    };

    private static readonly Option<string?> KeyOption = new("--key")
    {
        Description = "source API key (default: env EVAL_SOURCE_KEY, else dev-source-key)",
        HelpName = "KEY",
    };

    /// <summary>The command line: options, their checks, and the help text (-h, --help).</summary>
    public static RootCommand Command { get; } = new("""
        Posts realistic 好差评 traffic (evaluations and service records) to a running
        Evaluation system, then reports what it acknowledged. It reads the registry
        from the public API first, so start the system (ops/run) before this.

        Exit code: 0 when every item was accepted or recognised as a duplicate,
        1 when any item was rejected or any request failed, 2 on bad options.
        """)
    {
        UrlOption, RateOption, CountOption, DurationOption, SeedOption, BatchOption, KeyOption,
    };

    /// <summary>Parses the command line; returns null with <paramref name="error"/> set when it is unusable.</summary>
    public static SimulatorOptions? Parse(IReadOnlyList<string> args, string? environmentKey, out string? error)
    {
        var result = Command.Parse(args);
        error = result.Errors.Count > 0 ? result.Errors[0].Message : null;
        return error is null ? From(result, environmentKey) : null;
    }

    /// <summary>The options of a command line that parsed without errors.</summary>
    public static SimulatorOptions From(ParseResult result, string? environmentKey) => new(
        new Uri(result.GetRequiredValue(UrlOption)),
        result.GetValue(RateOption),
        result.GetValue(CountOption),
        TimeSpan.FromSeconds(result.GetValue(DurationOption)),
        result.GetValue(SeedOption) ?? Random.Shared.Next(),
        result.GetValue(BatchOption),
        result.GetValue(KeyOption) ?? (string.IsNullOrEmpty(environmentKey) ? "dev-source-key" : environmentKey));

    /// <summary>True for localhost and loopback addresses only: a load generator must never hit a shared system by accident.</summary>
    public static bool IsLoopback(Uri url)
    {
        var host = url.Host.Trim('[', ']');
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }

    private static Option<T> Between<T>(string name, string helpName, string description, T fallback, T min, T max)
        where T : struct, INumber<T>
    {
        var whole = T.IsInteger(T.One / (T.One + T.One)); // a half is 0 in whole-number types
        return new Option<T>(name)
        {
            Description = string.Create(CultureInfo.InvariantCulture, $"{description}, {min}..{max} (default {fallback})"),
            HelpName = helpName,
            DefaultValueFactory = _ => fallback,
            CustomParser = result =>
            {
                // The invariant culture, whatever the machine's: "0.5" means a half everywhere.
                var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
                if (T.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
                {
                    return value;
                }

                result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} '{text}' must be {(whole ? "a whole number" : "a number")} between {min} and {max}"));
                return fallback;
            },
        };
    }
}
