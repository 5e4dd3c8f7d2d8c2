namespace Evaluation.Contracts.Registry;

/// <summary>How a service reaches the public; the three channels the plan requires ratings on.</summary>
public enum Channel
{
    Window = 0,
    Online = 1,
    Hotline = 2,
}

/// <summary>The intellectual-property domain a service item belongs to.</summary>
public enum IpDomain
{
    Patent = 0,
    Trademark = 1,
    GeographicalIndication = 2,
    IcLayout = 3,
    General = 4,
}

public enum InstitutionKind
{
    ComprehensiveCentre = 0,
    InfoOutlet = 1,
    TrademarkWindow = 2,
    TrademarkWorkstation = 3,
    BrandGuidanceStation = 4,
}

public enum DivisionLevel
{
    Province = 0,
    City = 1,
    County = 2,
}

public enum Region
{
    PearlRiverDelta = 0,
    East = 1,
    West = 2,
    North = 3,
}

public enum TimeLimitUnit
{
    WorkingDays = 0,
    Hours = 1,
}

/// <summary>A GB/T 2260 administrative division of Guangdong.</summary>
[GenerateSerializer, Immutable, Alias("Division")]
public sealed record Division(
    [property: Id(0)] string Code,
    [property: Id(1)] string Name,
    [property: Id(2)] string NameEn,
    [property: Id(3)] DivisionLevel Level,
    [property: Id(4)] string? ParentCode,
    [property: Id(5)] Region? Region,
    [property: Id(6)] string? MentorCityCode);

[GenerateSerializer, Immutable, Alias("TimeLimit")]
public sealed record TimeLimit(
    [property: Id(0)] int Value,
    [property: Id(1)] TimeLimitUnit Unit);

/// <summary>One entry of the published service-item list (事项清单).</summary>
[GenerateSerializer, Immutable, Alias("ServiceItem")]
public sealed record ServiceItem(
    [property: Id(0)] string Code,
    [property: Id(1)] string Name,
    [property: Id(2)] string NameEn,
    [property: Id(3)] IpDomain Domain,
    [property: Id(4)] string Workflow,
    [property: Id(5)] TimeLimit TimeLimit);

/// <summary>A public-service institution with the fields the plan requires to be published (信息公开).</summary>
[GenerateSerializer, Immutable, Alias("Institution")]
public sealed record Institution(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] InstitutionKind Kind,
    [property: Id(3)] string? Category,
    [property: Id(4)] string? Rank,
    [property: Id(5)] string CityCode,
    [property: Id(6)] string? CountyCode,
    [property: Id(7)] string Address,
    [property: Id(8)] string Phone,
    [property: Id(9)] DateOnly OpenedOn,
    [property: Id(10)] string Status,
    [property: Id(11)] IReadOnlyList<Channel> Channels,
    [property: Id(12)] IReadOnlyList<string> Services,
    [property: Id(13)] bool IsSample)
{
    /// <summary>The division the institution is registered in: its county when it has one, else its city.</summary>
    public string DivisionCode => CountyCode ?? CityCode;
}
