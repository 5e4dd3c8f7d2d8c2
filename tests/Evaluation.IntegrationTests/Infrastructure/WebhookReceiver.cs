using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Evaluation.IntegrationTests.Infrastructure;

/// <summary>One POST a receiver took, as it arrived: headers, the raw body, and when.</summary>
public sealed record ReceivedHook(string? Event, string? Delivery, string? Signature, byte[] Body, DateTimeOffset ReceivedAt);

/// <summary>
/// A real webhook receiver on a loopback port (Kestrel): records every POST to <c>/hook</c> and answers
/// <see cref="Status"/>. It can be stopped and started again on the same port, like a receiver that goes down.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private WebApplication? app;

    public int Port { get; private set; }

    public string Url => $"http://127.0.0.1:{Port}/hook";

    public ConcurrentQueue<ReceivedHook> Received { get; } = new();

    /// <summary>What the receiver answers; 200 unless a test makes it fail.</summary>
    public int Status { get; set; } = StatusCodes.Status200OK;

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        app = builder.Build();
        app.MapPost("/hook", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            Received.Enqueue(new ReceivedHook(request.Headers["X-Evaluation-Event"], request.Headers["X-Evaluation-Delivery"],
                request.Headers["X-Evaluation-Signature"], body.ToArray(), DateTimeOffset.UtcNow));
            return Results.StatusCode(Status);
        });
        await app.StartAsync();
        Port = new Uri(app.Urls.First()).Port;
    }

    /// <summary>Down: the port refuses connections until <see cref="StartAsync"/> again.</summary>
    public async Task StopAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
            app = null;
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}
