using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Evaluation.IntegrationTests.Infrastructure;

/// <summary>
/// Collects every log line the silos and API hosts of this test process write, down to Debug, while a
/// capture is open, so a test can search them for data that must never be logged. Closed, it costs a
/// flag check per log call.
/// </summary>
public static class LogCapture
{
    private static readonly ConcurrentQueue<string> Captured = new();
    private static int open;

    public static ILoggerProvider Provider { get; } = new CaptureProvider();

    public static IReadOnlyCollection<string> Lines => Captured;

    public static IDisposable Open()
    {
        Interlocked.Increment(ref open);
        return new Closer();
    }

    public static void AddTo(ILoggingBuilder logging) =>
        logging.AddProvider(Provider).AddFilter<CaptureProvider>(null, LogLevel.Debug);

    private sealed class Closer : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                Interlocked.Decrement(ref open);
            }
        }
    }

    private sealed class CaptureProvider : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CaptureLogger(categoryName);

        public void Dispose()
        {
        }
    }

    private sealed class CaptureLogger(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => Volatile.Read(ref open) > 0 && logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                Captured.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
            }
        }
    }
}
