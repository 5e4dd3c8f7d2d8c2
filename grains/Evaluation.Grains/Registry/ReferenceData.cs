using Evaluation.Contracts.Grains;
using Evaluation.Contracts.Ingestion;
using Evaluation.Domain.Calendar;
using Evaluation.Domain.Registry;

namespace Evaluation.Grains.Registry;

/// <summary>
/// The reference lists in use: each imported file, or the shipped one where none was imported. Built from the
/// accepted files themselves, so every silo reads the same lists by the same rules.
/// </summary>
public sealed record ReferenceData(ServiceItemCatalog ServiceItems, WorkingCalendar Calendar, IReadOnlyList<string> PilotCountyCodes)
{
    public static readonly ReferenceData Shipped = new(ShippedRegistry.Sample.ServiceItems, WorkingCalendar.Default, [.. ShippedRegistry.Sample.PilotCountyCodes]);

    /// <summary>The lists of a snapshot; its files were validated when imported, so a failure here means corrupt storage and stops the caller.</summary>
    public static ReferenceData From(ReferenceDataSnapshot snapshot)
    {
        var divisions = ShippedRegistry.Sample.Divisions;
        return new ReferenceData(
            snapshot.ServiceItemsJson is { } items ? ServiceItemCatalog.Read(items, divisions).OrThrow("Imported service-item file") : Shipped.ServiceItems,
            snapshot.WorkingCalendarJson is { } calendar ? WorkingCalendar.Read(calendar).OrThrow("Imported holiday file") : Shipped.Calendar,
            snapshot.PilotCountiesJson is { } pilots ? PilotCounties.Read(pilots, divisions).OrThrow("Imported pilot-county file") : Shipped.PilotCountyCodes);
    }

    /// <summary>Every problem of a file of the kind given; none means it can replace the list in use.</summary>
    public static IReadOnlyList<FieldError> Check(ReferenceDataKind kind, string json)
    {
        var divisions = ShippedRegistry.Sample.Divisions;
        return kind switch
        {
            ReferenceDataKind.ServiceItems => ServiceItemCatalog.Read(json, divisions).Errors,
            ReferenceDataKind.WorkingCalendar => WorkingCalendar.Read(json).Errors,
            ReferenceDataKind.PilotCounties => PilotCounties.Read(json, divisions).Errors,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown reference data kind."),
        };
    }
}
