using Evaluation.Contracts.Grains;
using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;
using MeasureWindows = Evaluation.Contracts.Measures.Windows;

namespace Evaluation.ClientApi.Pages.Consoles;

/// <summary>
/// One city's 差评 handling as the province supervises it: the 30-day figures, and the 7-day on-time rates beside
/// them as the trend (a later week better or worse than the month).
/// </summary>
public sealed record HandlingRow(string CityCode, string CityName, HandlingView D30, HandlingView D7)
{
    private static readonly HandlingView None = new(0, 0, null, 0, null, 0, 0, null, 0);

    /// <summary>Every prefecture city's row, in division-code order.</summary>
    public static async Task<IReadOnlyList<HandlingRow>> LoadAsync(IClusterClient cluster, IEnumerable<Division> divisions)
    {
        var cities = divisions.Where(d => d.Level == DivisionLevel.City).OrderBy(d => d.Code, StringComparer.Ordinal).ToList();
        var measures = await Task.WhenAll(cities.Select(c => cluster.GetGrain<ICityGrain>(c.Code).GetMeasures()));
        return [.. cities.Select((c, i) => new HandlingRow(c.Code, c.Name, Window(measures[i], MeasureWindows.Days30), Window(measures[i], MeasureWindows.Days7)))];
    }

    /// <summary>↑ when the last week's on-time rate is above the month's, ↓ below, → level, blank when either has nothing due.</summary>
    public static string Trend(double? week, double? month) => (week, month) switch
    {
        ({ } w, { } m) when w > m => "↑",
        ({ } w, { } m) when w < m => "↓",
        ({ }, { }) => "→",
        _ => "",
    };

    private static HandlingView Window(AreaMeasures measures, string window) => measures.Handling.GetValueOrDefault(window) ?? None;
}
