using System.Reflection;

namespace Evaluation.Domain.Data;

/// <summary>
/// The data files shipped inside this assembly, so the domain runs without any file system layout
/// (tests, silo and tools all see the same copy).
/// </summary>
internal static class EmbeddedData
{
    public const string Divisions = "guangdong-divisions.csv";
    public const string ServiceItems = "service-items.json";
    public const string SampleInstitutions = "institutions.sample.json";
    public const string Holidays = "holidays.json";
    public const string PilotCounties = "pilot-counties.json";

    public static string ReadText(string fileName)
    {
        var name = $"Evaluation.Domain.Data.{fileName}";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded data file {name} is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
