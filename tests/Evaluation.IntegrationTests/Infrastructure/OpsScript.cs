using System.Diagnostics;

namespace Evaluation.IntegrationTests.Infrastructure;

/// <summary>Runs the operators' scripts of this checkout (ops/…) as an operator would, for tests that drill them.</summary>
public static class OpsScript
{
    /// <summary>Runs <paramref name="script"/> (a path under ops/) with <paramref name="args"/>; answers its output, throws with its errors on failure.</summary>
    public static async Task<string> RunAsync(string script, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var (code, output, error) = await TryAsync(script, environment, args);
        if (code != 0)
        {
            throw new InvalidOperationException($"{script} {string.Join(' ', args)} failed ({code}): {error}{output}");
        }

        return output.Trim();
    }

    /// <summary>Runs the script and answers its exit code and what it printed, whatever the outcome.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> TryAsync(string script, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(RepositoryRoot(), "ops", script))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    /// <summary>The checkout this test build came from (the scripts live there, not in the output folder).</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Evaluation.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Evaluation.sln above {AppContext.BaseDirectory}.");
    }
}
