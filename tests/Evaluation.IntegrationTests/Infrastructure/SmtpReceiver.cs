using System.Diagnostics;
using MimeKit;

namespace Evaluation.IntegrationTests.Infrastructure;

/// <summary>
/// A real SMTP server on a free loopback port: Debian's aiosmtpd run by /usr/bin/python3 (installed by ops/test),
/// storing each message it accepts. <see cref="Messages"/> parses them with MimeKit, envelope recipients included.
/// </summary>
public sealed class SmtpReceiver : IAsyncDisposable
{
    private readonly Process process;
    private readonly string directory;

    private SmtpReceiver(Process process, string directory, int port)
    {
        this.process = process;
        this.directory = directory;
        Port = port;
    }

    public int Port { get; }

    public static async Task<SmtpReceiver> StartAsync()
    {
        var port = LoopbackPorts.Free();
        var directory = Directory.CreateTempSubdirectory("evaluation-smtp-").FullName;
        var script = Path.Combine(AppContext.BaseDirectory, "Infrastructure", "smtp_receiver.py");
        var process = Process.Start(new ProcessStartInfo("/usr/bin/python3", [script, port.ToString(System.Globalization.CultureInfo.InvariantCulture), directory])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("could not start /usr/bin/python3");
        var ready = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
        if (ready != "ready")
        {
            throw new InvalidOperationException($"The SMTP receiver did not start (is python3-aiosmtpd installed? ops/test installs it): {await process.StandardError.ReadToEndAsync()}");
        }

        return new SmtpReceiver(process, directory, port);
    }

    /// <summary>The messages received so far, oldest first, with their envelope recipients.</summary>
    public IReadOnlyList<(IReadOnlyList<string> To, MimeMessage Message)> Messages() =>
    [
        .. Directory.GetFiles(directory, "*.eml").Order(StringComparer.Ordinal).Select(path =>
        {
            var message = MimeMessage.Load(path);
            return ((IReadOnlyList<string>)(message.Headers["X-Envelope-To"] ?? "").Split(','), message);
        }),
    ];

    public async ValueTask DisposeAsync()
    {
        process.StandardInput.Close();
        if (!process.WaitForExit(5000))
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
        process.Dispose();
        Directory.Delete(directory, recursive: true);
    }

}
