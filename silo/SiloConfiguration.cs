using Evaluation.Grains.Hosting;
using Microsoft.Extensions.Configuration;

namespace Evaluation.Silo;

internal static class SiloConfiguration
{
    public const string InMemoryWarning = """
        ************************************************************************
        *  IN-MEMORY MODE: no database. Ratings, aggregates and the registry    *
        *  live only in this process. NOTHING SURVIVES A RESTART.               *
        ************************************************************************
        """;

    /// <summary>appsettings section "Evaluation", then the documented environment variables.</summary>
    public static EvaluationSettings Read(IConfiguration configuration)
    {
        // The short environment names are aliases; a value set under Evaluation:* wins.
        var section = configuration.GetSection("Evaluation");
        var settings = section.Get<EvaluationSettings>() ?? new EvaluationSettings();
        settings.ConnectionString = section["ConnectionString"] ?? Alias("EVAL_DB") ?? settings.ConnectionString;
        settings.ContactKey = section["ContactKey"] ?? Alias("EVAL_CONTACT_KEY") ?? settings.ContactKey;
        if (settings.InMemory && settings.ContactKey is null)
        {
            // Nothing is kept in this mode, so a key that dies with the process is exactly right.
            settings.ContactKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        }

        return settings;
    }

    private static string? Alias(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

    public static void ExitOnProblems(EvaluationSettings settings)
    {
        var problems = settings.Validate();
        if (problems.Count == 0)
        {
            return;
        }

        foreach (var problem in problems)
        {
            Console.Error.WriteLine($"Configuration error: {problem}");
        }

        Environment.Exit(2);
    }
}
