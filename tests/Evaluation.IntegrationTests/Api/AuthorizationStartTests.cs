using System.Text.RegularExpressions;
using Evaluation.ClientApi.Extensions;
using Evaluation.ClientApi.Security;
using Evaluation.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace Evaluation.IntegrationTests.Api;

/// <summary>
/// Published, placeholder and short secrets and the development token issuer are for a developer's machine
/// only: the Development environment listening on loopback. Anywhere else the API refuses to start, and says
/// which variable is wrong. None of these starts gets as far as the cluster.
/// </summary>
public sealed partial class AuthorizationStartTests
{
    private const string LongKey = "0123456789abcdefghijklmnopqrstuvwxyzABCD";
    private const string AllAddresses = "http://0.0.0.0:8080";
    private const string Loopback = "http://127.0.0.1:5080";

    [Theory]
    [InlineData("Production", Loopback, "dev-source-key")]
    [InlineData("Development", AllAddresses, "dev-source-key")]
    [InlineData("Production", AllAddresses, "REPLACE-ME with openssl rand -base64 32")]
    [InlineData("Staging", AllAddresses, "change-me-change-me-change-me-change-me")]
    [InlineData("Production", AllAddresses, "random-but-only-25-chars!")]
    public void Published_placeholder_and_short_source_keys_refuse_to_start(string environment, string url, string sourceKey)
    {
        var refusal = RefusalOf(environment, url, new() { ["Evaluation:SourceKey"] = sourceKey });
        Assert.Contains("EVAL_SOURCE_KEY", refusal, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Production", Loopback)]
    [InlineData("Development", AllAddresses)]
    [InlineData("Development", "http://localhost:5080;http://10.0.0.5:5080")]
    public void The_development_token_issuer_refuses_to_start_outside_development_on_loopback(string environment, string url)
    {
        var refusal = RefusalOf(environment, url, new() { ["Evaluation:SourceKey"] = LongKey, ["Evaluation:DevTokens"] = "true" });
        Assert.Contains("EVAL_DEV_TOKENS", refusal, StringComparison.Ordinal);
        Assert.DoesNotContain("EVAL_SOURCE_KEY", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void The_secret_templates_placeholders_never_pass()
    {
        var template = File.ReadAllText(Path.Combine(OpsScript.RepositoryRoot(), "ops/kubernetes/secret.template.yaml"));
        string Value(string name) => Regex.Match(template, $@"^\s*{name}: ""(.*)""\s*$", RegexOptions.Multiline).Groups[1].Value;

        var refusal = RefusalOf("Production", AllAddresses, new()
        {
            ["Evaluation:SourceKey"] = Value("EVAL_SOURCE_KEY"),
            ["Evaluation:Jwt:SigningKey"] = Value("EVAL_JWT_KEY"),
            ["Evaluation:ConnectionString"] = Value("EVAL_DB"),
        });
        Assert.Contains("EVAL_SOURCE_KEY", refusal, StringComparison.Ordinal);
        Assert.Contains("EVAL_JWT_KEY", refusal, StringComparison.Ordinal);
        Assert.Contains("EVAL_DB", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void A_production_configuration_with_real_secrets_passes_and_a_developers_machine_keeps_its_defaults()
    {
        var production = new ApiSettings { SourceKey = LongKey, AdminKey = LongKey, ConnectionString = "Host=db;Password=" + LongKey };
        production.Jwt.SigningKey = Convert.ToBase64String(new byte[32]);
        Assert.Empty(production.Validate(developmentOnLoopback: false));

        var development = new ApiSettings { DevTokens = true };
        development.Jwt.SigningKey = production.Jwt.SigningKey;
        Assert.Empty(development.Validate(developmentOnLoopback: true));
        Assert.NotEmpty(development.Validate(developmentOnLoopback: false));
    }

    [Theory]
    [InlineData(Loopback, true)]
    [InlineData("http://localhost:5080;http://[::1]:5080", true)]
    [InlineData(AllAddresses, false)]
    [InlineData("http://+:8080", false)]
    [InlineData("http://*:8080", false)]
    [InlineData("http://192.168.1.20:5080", false)]
    public void Loopback_means_every_address_the_host_listens_on(string urls, bool loopback)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = urls }).Build();
        Assert.Equal(loopback, DevelopmentHost.ListensOnLoopbackOnly(configuration));
    }

    /// <summary>The message of the start-up failure; fails the test when the host starts.</summary>
    private static string RefusalOf(string environment, string url, Dictionary<string, string> settings)
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment(environment);
            web.UseSetting("Evaluation:Jwt:SigningKey", Convert.ToBase64String(new byte[32]));
            web.UseSetting("Evaluation:ConnectionString", "Host=db.example;Username=api;Password=" + LongKey);
            web.UseSetting("Evaluation:DevTokens", "false");
            // Kestrel:Endpoints rather than Urls: appsettings.json's Urls is read after a test's settings.
            web.UseSetting("Kestrel:Endpoints:Test:Url", url.Split(';')[0]);
            web.UseSetting("Kestrel:Endpoints:Other:Url", url.Split(';')[^1]);
            foreach (var (key, value) in settings)
            {
                web.UseSetting(key, value);
            }
        });
        var error = Assert.ThrowsAny<Exception>(() => factory.Server);
        var messages = string.Join(" | ", Chain(error).Select(e => e.Message));
        Assert.Contains("Configuration error", messages, StringComparison.Ordinal);
        return messages;
    }

    private static IEnumerable<Exception> Chain(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }
}
