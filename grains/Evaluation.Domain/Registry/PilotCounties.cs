using Evaluation.Contracts.Ingestion;
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
        Read(EmbeddedData.ReadText(EmbeddedData.PilotCounties), divisions).OrThrow("Pilot-county file");

    /// <summary>
    /// The county codes of a list in the format of <c>pilot-counties.json</c>: <c>counties[n].code</c> must be
    /// a county-level division of Guangdong, each listed once. An empty list is allowed (no county designated).
    /// </summary>
    public static DataFileResult<IReadOnlyList<string>> Read(string json, DivisionCatalog divisions)
    {
        var errors = new List<FieldError>();
        var file = DataFile.Read<PilotFile>(json, "pilot-county file", errors);
        if (file is null)
            return new(null, errors);
        if (file.Counties is not { } counties)
        {
            errors.Add(new FieldError("counties", "required: the list of pilot counties"));
            return new(null, errors);
        }
        for (var i = 0; i < counties.Count; i++)
        {
            var code = counties[i]?.Code;
            if (string.IsNullOrWhiteSpace(code))
                errors.Add(new FieldError($"counties[{i}].code", "code is required"));
            else if (divisions.Find(code)?.Level != DivisionLevel.County)
                errors.Add(new FieldError($"counties[{i}].code", $"'{code}' is not a county-level division of Guangdong"));
        }
        DataFile.CheckUnique(counties.Select((c, i) => (c?.Code, $"counties[{i}].code")), "county", errors);
        return errors.Count > 0 ? new(null, errors) : new([.. counties.Select(c => c!.Code!)], []);
    }

    private sealed record PilotFile(bool Sample, string? Notice, IReadOnlyList<PilotCounty?>? Counties);

    private sealed record PilotCounty(string? Code, string? Name);
}
