using Evaluation.Contracts.Registry;

namespace Evaluation.Grains.Areas;

/// <summary>The labels of peer groups as rankings show them.</summary>
public static class PeerGroups
{
    public static string Label(InstitutionKind kind) => kind switch
    {
        InstitutionKind.ComprehensiveCentre => "comprehensive-centre",
        InstitutionKind.InfoOutlet => "info-outlet",
        InstitutionKind.TrademarkWindow => "trademark-window",
        InstitutionKind.TrademarkWorkstation => "trademark-workstation",
        InstitutionKind.BrandGuidanceStation => "brand-guidance-station",
        _ => kind.ToString(),
    };

    public static string Label(Region? region) => region switch
    {
        Region.PearlRiverDelta => "pearl-river-delta",
        Region.East => "east",
        Region.West => "west",
        Region.North => "north",
        _ => "province",
    };
}
