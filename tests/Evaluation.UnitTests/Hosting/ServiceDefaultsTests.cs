using Evaluation.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace Evaluation.UnitTests.Hosting;

public sealed class ServiceDefaultsTests
{
    private static Func<string, string?> Environment(Dictionary<string, string> variables) =>
        name => variables.GetValueOrDefault(name);

    [Fact]
    public void An_EVAL_variable_sets_its_key_and_a_key_set_anywhere_else_wins()
    {
        var aliases = EnvironmentAliases.Values(Environment(new() { ["EVAL_DB"] = "Host=db", ["EVAL_CONTACT_KEY_ID"] = "k2", ["EVAL_JWT_KEY"] = "" }));
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(aliases)
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Evaluation:ContactKeyId"] = "k3" })
            .Build();

        Assert.Equal("Host=db", configuration["Evaluation:ConnectionString"]);
        Assert.Equal("k3", configuration["Evaluation:ContactKeyId"]);
        Assert.False(aliases.ContainsKey("Evaluation:Jwt:SigningKey"), "an empty variable is as good as unset");
    }

    [Theory]
    [InlineData("true", "true")]
    [InlineData("yes", "false")]
    [InlineData("1", "false")]
    public void A_switch_is_on_only_when_its_variable_says_true(string value, string expected)
    {
        var aliases = EnvironmentAliases.Values(Environment(new() { ["EVAL_DEV_TOKENS"] = value, ["EVAL_API_DOCS"] = value }));

        Assert.Equal(expected, aliases["Evaluation:DevTokens"]);
        Assert.Equal(expected, aliases["Evaluation:ApiDocs"]);
    }

    [Fact]
    public void Telemetry_settings_name_the_key_of_a_bad_scrape_port_or_host()
    {
        Assert.Empty(new TelemetrySettings().Validate());
        Assert.Empty(new TelemetrySettings { PrometheusPort = 9464, PrometheusHost = "+" }.Validate());
        Assert.Contains("Evaluation:Telemetry:PrometheusPort", Assert.Single(new TelemetrySettings { PrometheusPort = 70000 }.Validate()), StringComparison.Ordinal);
        Assert.Contains("Evaluation:Telemetry:PrometheusHost", Assert.Single(new TelemetrySettings { PrometheusPort = 9464, PrometheusHost = "http://x/" }.Validate()), StringComparison.Ordinal);
    }
}
