using System.Text.Json;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Data;

namespace Evaluation.Domain.Registry;

/// <summary>
/// The counties designated national IP-strong-county pilot or demonstration counties, which the plan
/// requires to have a comprehensive centre. The shipped list is a sample to be replaced by the real one.
/// </summary>
public static class PilotCounties
{
    public static IReadOnlyList<string> LoadSample(DivisionCatalog divisions) =>
        Parse(EmbeddedData.ReadText(EmbeddedData.PilotCounties), divisions);

    /// <summary>The county codes of a list in the format of <c>pilot-counties.json</c>; each must be a known county.</summary>
    public static IReadOnlyList<string> Parse(string json, DivisionCatalog divisions)
    {
        var file = JsonSerializer.Deserialize<PilotFile>(json, DataJson.Options)
            ?? throw new InvalidDataException("Pilot-county file is empty.");
        var codes = (file.Counties ?? []).Select(c => c.Code ?? "").ToList();
        var unknown = codes.Where(c => divisions.Find(c)?.Level != DivisionLevel.County).ToList();
        if (unknown.Count > 0)
            throw new InvalidDataException($"Pilot-county file names unknown county codes: {string.Join(", ", unknown)}.");
        return codes;
    }

    private sealed record PilotFile(bool Sample, string? Notice, IReadOnlyList<PilotCounty>? Counties);

    private sealed record PilotCounty(string? Code, string? Name);
}
