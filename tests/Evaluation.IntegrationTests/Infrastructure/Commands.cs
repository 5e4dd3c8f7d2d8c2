using System.Diagnostics;

namespace Evaluation.IntegrationTests.Infrastructure;

/// <summary>Runs a system command to its end and fails with its output when it fails.</summary>
internal static class Commands
{
    public static async Task<string> RunAsync(string file, params string[] args)
    {
        var (exitCode, output) = await TryRunAsync(file, args);
        return exitCode == 0 ? output : throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({exitCode}): {output}");
    }

    /// <summary>The exit code and what the command wrote (error output first), without throwing on failure.</summary>
    public static async Task<(int ExitCode, string Output)> TryRunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await error + await output);
    }
}
