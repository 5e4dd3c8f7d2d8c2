using System.Diagnostics;
using System.Net.Sockets;

namespace Evaluation.IntegrationTests.Infrastructure.Hosts;

/// <summary>
/// A real silo or API process on a host of its own: <c>ip netns exec ev-hN dotnet &lt;dll&gt;</c> (which execs, so
/// the process id is the host's own), its output kept in a log file. It can be paused, resumed, killed and started
/// again with the same settings, as a supervisor would.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly string dll;
    private readonly IReadOnlyDictionary<string, string> environment;
    private readonly string[] arguments;
    private Process? process;

    public HostProcess(NetworkHost host, string dll, IReadOnlyDictionary<string, string> environment, string logFile, params string[] arguments)
    {
        Host = host;
        this.dll = dll;
        this.environment = environment;
        this.arguments = arguments;
        LogFile = logFile;
    }

    public NetworkHost Host { get; }

    public string LogFile { get; }

    public bool HasExited => process is null || process.HasExited;

    /// <summary>Starts the process, with <paramref name="extra"/> settings for this start only (e.g. a clock offset).</summary>
    public void Start(IReadOnlyDictionary<string, string>? extra = null)
    {
        var start = new ProcessStartInfo("ip")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in (string[])["netns", "exec", Host.Namespace, "dotnet", dll, .. arguments])
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment.Concat(extra ?? new Dictionary<string, string>()))
        {
            start.Environment[key] = value;
        }

        var log = new StreamWriter(LogFile, append: true) { AutoFlush = true };
        log.WriteLine($"--- started {DateTimeOffset.UtcNow:O}");
        process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.Exited += (_, _) => Write(log, "--- exited");
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>SIGSTOP: the process holds its sockets but answers nothing, as a host stalled by the machine would.</summary>
    public Task PauseAsync() => Commands.RunAsync("kill", "-STOP", Pid);

    public Task ResumeAsync() => Commands.RunAsync("kill", "-CONT", Pid);

    public async Task KillAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Waits until the host accepts connections on <paramref name="port"/> of its address.</summary>
    public async Task WaitForPortAsync(int port, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            if (HasExited)
            {
                throw new InvalidOperationException($"{Path.GetFileName(dll)} on {Host.Namespace} exited; see {LogFile}:\n{Tail()}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(Host.Address, port).WaitAsync(TimeSpan.FromSeconds(2));
                return;
            }
            catch (Exception ex) when (ex is SocketException or TimeoutException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
        }
    }

    public string Tail() => File.Exists(LogFile) ? string.Join('\n', File.ReadLines(LogFile).TakeLast(30)) : "";

    public async ValueTask DisposeAsync()
    {
        if (process is { HasExited: false })
        {
            // A paused process must run again to die of anything but SIGKILL; SIGKILL it is.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process?.Dispose();
    }

    private string Pid => process?.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? throw new InvalidOperationException("not started");

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.WriteLine(line);
        }
    }
}
