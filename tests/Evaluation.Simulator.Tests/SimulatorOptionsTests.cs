using Evaluation.Simulator;
using Xunit;

namespace Evaluation.Simulator.Tests;

public sealed class SimulatorOptionsTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5080")]
    [InlineData("http://127.8.9.10:1")]
    [InlineData("http://[::1]:5080")]
    [InlineData("http://localhost:5080")]
    [InlineData("https://LOCALHOST")]
    public void Accepts_loopback_urls(string url)
    {
        var options = SimulatorOptions.Parse(["--url", url], null, out var error);

        Assert.Null(error);
        Assert.NotNull(options);
    }

    [Theory]
    [InlineData("http://10.0.0.1:5080")]
    [InlineData("http://128.0.0.1")]
    [InlineData("http://example.com")]
    [InlineData("http://localhost.example.com")]
    [InlineData("http://[::2]")]
    [InlineData("ftp://127.0.0.1")]
    public void Refuses_anything_but_loopback(string url)
    {
        var options = SimulatorOptions.Parse([$"--url={url}"], null, out var error);

        Assert.Null(options);
        Assert.Contains(url, error);
    }

    [Fact]
    public void Defaults_match_the_documented_ones()
    {
        var options = SimulatorOptions.Parse([], null, out _)!;

        Assert.Equal(new Uri("http://127.0.0.1:5080"), options.Url);
        Assert.Equal((50.0, 5000, 120.0, 100, "dev-source-key"), (options.Rate, options.Count, options.Duration.TotalSeconds, options.BatchSize, options.Key));
    }

    [Fact]
    public void Key_comes_from_the_option_then_the_environment()
    {
        Assert.Equal("from-env", SimulatorOptions.Parse([], "from-env", out _)!.Key);
        Assert.Equal("explicit", SimulatorOptions.Parse(["--key", "explicit"], "from-env", out _)!.Key);
    }

    [Theory]
    [InlineData("--batch", "5001")]
    [InlineData("--batch", "0")]
    [InlineData("--count", "1.5")]
    [InlineData("--rate", "fast")]
    [InlineData("--colour", "blue")]
    public void Rejects_bad_values(string option, string value)
    {
        Assert.Null(SimulatorOptions.Parse([option, value], null, out var error));
        Assert.NotNull(error);
    }
}
