using Evaluation.Domain.Cases;

namespace Evaluation.Grains.Hosting;

/// <summary>
/// The silo's configuration (section <c>Evaluation</c> of appsettings, or environment variables).
/// <see cref="Validate"/> turns a bad value into one clear sentence at start instead of a failure later.
/// </summary>
public sealed class EvaluationSettings
{
    public const string DefaultConnectionString = "Host=127.0.0.1;Port=5432;Username=evaluation;Password=evaluation;Database=evaluation";

    /// <summary>No database: localhost clustering, memory storage and an in-process log. Nothing survives a restart.</summary>
    public bool InMemory { get; set; }

    /// <summary>Npgsql connection string; environment variable <c>EVAL_DB</c>.</summary>
    public string ConnectionString { get; set; } = DefaultConnectionString;

    /// <summary>Base64 of the 32-byte AES key that seals raters' contact details; environment variable <c>EVAL_CONTACT_KEY</c>.</summary>
    public string? ContactKey { get; set; }

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    public string ClusterId { get; set; } = "evaluation";

    public string ServiceId { get; set; } = "evaluation";

    /// <summary>Deadlines and watch periods of audits (section <c>Evaluation:Cases</c>).</summary>
    public CaseSettings Cases { get; set; } = new();

    public byte[] ContactKeyBytes()
    {
        try
        {
            return Convert.FromBase64String(ContactKey ?? "");
        }
        catch (FormatException)
        {
            return [];
        }
    }

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (ContactKeyBytes().Length != 32)
        {
            problems.Add("EVAL_CONTACT_KEY (Evaluation:ContactKey) must be the base64 of 32 random bytes, e.g. `openssl rand -base64 32`; ops/run creates one for you.");
        }

        if (!InMemory && string.IsNullOrWhiteSpace(ConnectionString))
        {
            problems.Add("EVAL_DB (Evaluation:ConnectionString) must be an Npgsql connection string, or start with --in-memory.");
        }

        if (SiloPort is < 1 or > 65535 || GatewayPort is < 1 or > 65535 || SiloPort == GatewayPort)
        {
            problems.Add("Evaluation:SiloPort and Evaluation:GatewayPort must be two different TCP ports.");
        }

        problems.AddRange(Cases.Validate());
        return problems;
    }
}
