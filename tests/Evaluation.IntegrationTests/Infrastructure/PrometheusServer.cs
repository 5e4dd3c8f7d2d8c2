using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Evaluation.IntegrationTests.Infrastructure;

/// <summary>
/// A real Prometheus (Debian's package, installed by ops/test) on a free loopback port, scraping the given
/// targets every second; <see cref="QueryAsync"/> asks its HTTP query API as a dashboard or alert rule would.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process process;
    private readonly string directory;
    private readonly HttpClient http;

    private PrometheusServer(Process process, string directory, int port)
    {
        this.process = process;
        this.directory = directory;
        http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    }

    /// <param name="targets">Job name → <c>host:port</c> targets serving <c>/metrics</c>.</param>
    public static async Task<PrometheusServer> StartAsync(IReadOnlyDictionary<string, string[]> targets)
    {
        var port = LoopbackPorts.Free();
        var directory = Directory.CreateTempSubdirectory("evaluation-prometheus-").FullName;
        var jobs = string.Concat(targets.Select(t => $"""
              - job_name: {t.Key}
                static_configs:
                  - targets: [{string.Join(", ", t.Value.Select(v => $"'{v}'"))}]

            """));
        var config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
            {jobs}
            """);
        var process = Process.Start(new ProcessStartInfo("prometheus",
            [$"--config.file={config}", $"--web.listen-address=127.0.0.1:{port}", $"--storage.tsdb.path={Path.Combine(directory, "data")}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("could not start prometheus (ops/test installs Debian's package)");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new PrometheusServer(process, directory, port);
        await StaffWork.EventuallyAsync(server.ReadyAsync, "Prometheus to be ready");
        return server;
    }

    /// <summary>The value of an instant query's single series, or null while it has none.</summary>
    public async Task<double?> QueryAsync(string query)
    {
        using var response = await http.GetAsync($"/api/v1/query?query={Uri.EscapeDataString(query)}");
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var result = body.RootElement.GetProperty("data").GetProperty("result");
        return result.GetArrayLength() == 1
            ? double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)
            : null;
    }

    private async Task<bool> ReadyAsync()
    {
        try
        {
            using var response = await http.GetAsync("/-/ready");
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }


    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        Directory.Delete(directory, recursive: true);
    }
}
