#:project ../../../grains/Evaluation.Domain/Evaluation.Domain.csproj
#:property PublishAot=false
#:package System.CommandLine

// Writes the sample institution registry (grains/Evaluation.Domain/Data/institutions.sample.json).
// Deterministic: the same divisions and seed give the same file byte for byte, so a regenerated
// file diffs cleanly against the committed one.
using System.CommandLine;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Registry;

const string DefaultOutput = "grains/Evaluation.Domain/Data/institutions.sample.json";
const string Notice =
    "示例数据：本文件中的机构均为根据行政区划自动生成的示例机构，并非真实机构，名称、地址、电话均为虚构，仅用于演示和测试；" +
    "正式运行请通过文件或管理接口导入真实名录。SAMPLE DATA: these are generated sample institutions, not real ones; " +
    "names, addresses and phone numbers are fictitious and for demonstration and testing only. Import the real registry " +
    "through a file or the admin API before relying on it.";

var outOption = new Option<string?>("--out")
{
    Description = $"where to write (default: {DefaultOutput}, relative to the repository root)",
    HelpName = "file",
};
var seedOption = new Option<int>("--seed")
{
    Description = "random seed; change it only on purpose",
    HelpName = "n",
    DefaultValueFactory = _ => SampleRegistry.DefaultSeed,
};
var command = new RootCommand("""
    Generates the sample institution registry from the embedded divisions, service items and
    pilot-county list, checks it with the same rules as an operator import, and writes it.
    Run: dotnet run ops/tools/registry-sample/generate.cs -- [--out <file>] [--seed <n>]
    """)
{
    outOption,
    seedOption,
};
command.SetAction(result => Generate(result.GetValue(outOption) ?? Path.Combine(RepositoryRoot(), DefaultOutput), result.GetValue(seedOption)));
return command.Parse(args).Invoke();

static int Generate(string output, int seed)
{
    var divisions = DivisionCatalog.Load();
    var items = ServiceItemCatalog.Load();
    var institutions = new SampleRegistry(divisions, PilotCounties.LoadSample(divisions), seed).Build();

    var errors = RegistryFile.Validate(institutions, divisions, items);
    if (errors.Count > 0)
    {
        foreach (var e in errors)
            Console.Error.WriteLine($"{e.Field}: {e.Message}");
        return 1;
    }
    File.WriteAllText(output, RegistryFile.Write(institutions, Notice));
    Console.WriteLine($"Wrote {institutions.Count} sample institutions to {output}");
    foreach (var kind in institutions.GroupBy(i => i.Kind).OrderBy(g => g.Key))
        Console.WriteLine($"  {KebabCase.Name(kind.Key),-24} {kind.Count(),4}");
    return 0;
}

static string RepositoryRoot()
{
    for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Evaluation.sln")))
            return dir.FullName;
    }
    throw new InvalidOperationException("Run from inside the repository, or pass --out.");
}

/// <summary>Builds a plausible, plainly fictitious registry over the real division list.</summary>
sealed class SampleRegistry(DivisionCatalog divisions, IReadOnlyList<string> pilotCounties, int seed)
{
    public const int DefaultSeed = 20230601;

    // Dongguan and Zhongshan have no county level: institutions there sit in towns and sub-districts.
    private static readonly Dictionary<string, string[]> Towns = new()
    {
        ["441900"] = ["南城街道", "东城街道", "松山湖", "长安镇", "虎门镇", "厚街镇", "塘厦镇"],
        ["442000"] = ["石岐街道", "东区街道", "火炬开发区", "小榄镇", "古镇镇", "南头镇"],
    };

    private static readonly Dictionary<string, string> AreaCodes = new()
    {
        ["440100"] = "020", ["440200"] = "0751", ["440300"] = "0755", ["440400"] = "0756", ["440500"] = "0754",
        ["440600"] = "0757", ["440700"] = "0750", ["440800"] = "0759", ["440900"] = "0668", ["441200"] = "0758",
        ["441300"] = "0752", ["441400"] = "0753", ["441500"] = "0660", ["441600"] = "0762", ["441700"] = "0662",
        ["441800"] = "0763", ["441900"] = "0769", ["442000"] = "0760", ["445100"] = "0768", ["445200"] = "0663",
        ["445300"] = "0766",
    };

    // Cities whose local numbers have eight digits; the rest of the province dials seven.
    private static readonly HashSet<string> EightDigitCities = ["440100", "440300", "440600", "441900", "442000"];

    private static readonly string[] Roads =
        ["人民路", "建设路", "中山路", "解放路", "环城路", "科技路", "创新大道", "迎宾大道", "工业大道", "府前路",
         "东风路", "文化路", "新华路", "朝阳路", "滨江路", "学院路", "高新路", "政务大道"];

    private static readonly string[] Buildings =
        ["政务服务中心", "科技大厦", "创新中心", "知识产权大厦", "市场监管综合楼", "产业服务中心"];

    private static readonly string[] ResearchFields = ["工业技术", "新材料", "智能制造", "生物医药", "电子信息", "海洋科技", "现代农业", "新能源"];
    private static readonly string[] Industries = ["电子信息", "家电", "陶瓷", "纺织服装", "家具", "五金", "食品", "玩具", "灯饰", "中医药"];
    private static readonly string[] BrandThemes = ["特色农产品", "家电", "陶瓷", "纺织服装", "家具", "五金", "食品", "茶叶", "凉果", "小家电", "不锈钢制品", "玉器"];

    private static readonly string[] CityCentreServices =
        ["PAT-SEARCH", "PAT-CONSULT", "PAT-FILING", "PAT-FEE", "PAT-PRIORITY", "PAT-PLEDGE", "PAT-LICENSE", "TM-CONSULT",
         "GI-GUIDE", "IC-GUIDE", "GEN-HOTLINE", "GEN-ONLINE", "GEN-POLICY", "GEN-TRAINING", "GEN-RISK", "GEN-PROTECT", "GEN-DATABASE"];

    private static readonly string[] CountyCentreServices =
        ["PAT-CONSULT", "PAT-FILING", "PAT-FEE", "TM-CONSULT", "GEN-POLICY", "GEN-TRAINING", "GEN-PROTECT"];

    private static readonly string[] OutletServices = ["PAT-SEARCH", "PAT-ANALYSIS", "PAT-CONSULT", "GEN-DATABASE", "GEN-TRAINING"];

    private static readonly string[] WindowServices =
        ["TM-ACCEPT", "TM-CHANGE", "TM-RENEWAL", "TM-TRANSFER", "TM-PLEDGE", "TM-CERT", "TM-CONSULT"];

    private static readonly string[] ExtraOutletsByCity =
        // Outlets cluster where universities, institutes and industry are: the Pearl River Delta.
        ["440100:14", "440300:12", "440600:6", "441900:6", "440400:4", "442000:4", "441300:4", "440700:3", "441200:3",
         "440500:3", "440800:2", "441400:2", "440200:2", "440900:1", "441800:1", "445200:1", "445100:1", "441600:1",
         "441700:1", "441500:1", "445300:1"];

    // Three cities are left without a trademark window or workstation, so the 2025 coverage target
    // shows as open work rather than already met.
    private static readonly HashSet<string> WithoutTrademarkPoint = ["441500", "441700", "445300"];

    private readonly Random random = new(seed);
    private readonly List<Institution> built = [];
    private readonly Dictionary<string, int> counters = [];
    private readonly Dictionary<string, int> namesUsed = [];

    public List<Institution> Build()
    {
        AddProvincialCentre();
        foreach (var city in divisions.Cities)
            AddCityCentre(city);
        foreach (var county in CountiesWithCentres())
            AddCountyCentre(county);
        foreach (var entry in ExtraOutletsByCity)
        {
            var parts = entry.Split(':');
            for (var n = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture); n > 0; n--)
                AddOutlet(divisions.Find(parts[0])!);
        }
        foreach (var city in divisions.Cities.Where(c => !WithoutTrademarkPoint.Contains(c.Code)))
            AddTrademarkPoints(city);
        foreach (var city in divisions.Cities)
            AddBrandStations(city);
        return built;
    }

    private void AddProvincialCentre()
    {
        var guangzhou = divisions.Find("440100")!;
        built.Add(new Institution(
            "gd-440000-cc-001", "广东省知识产权公共服务中心", InstitutionKind.ComprehensiveCentre, null, null,
            guangzhou.Code, null, Address(guangzhou, null), Phone(guangzhou.Code), new DateOnly(2019, 3, 18), "active",
            [Channel.Window, Channel.Online, Channel.Hotline],
            // The province adds the specialist items a city centre refers upwards.
            [.. CityCentreServices, "PAT-ANALYSIS", "GI-MARK", "TM-BRAND"], true));
    }

    private void AddCityCentre(Division city) => Add(
        InstitutionKind.ComprehensiveCentre, city, null, "cc", $"{city.Name}知识产权公共服务中心",
        Opened(2019, 2022), [Channel.Window, Channel.Online, Channel.Hotline], CityCentreServices);

    private void AddCountyCentre(Division county)
    {
        var city = divisions.CityOf(county.Code)!;
        var services = CountyCentreServices.ToList();
        if (random.NextDouble() < 0.5)
            services.Add("PAT-SEARCH");
        if (city.Region != Region.PearlRiverDelta && random.NextDouble() < 0.5)
            services.Add("GI-GUIDE");
        Add(InstitutionKind.ComprehensiveCentre, city, county, "cc", $"{city.Name}{county.Name}知识产权公共服务中心",
            Opened(2020, 2025), random.NextDouble() < 0.3 ? [Channel.Window, Channel.Online, Channel.Hotline] : [Channel.Window, Channel.Online],
            services);
    }

    /// <summary>
    /// Pilot counties first (the plan wants them covered early), then more than half of Guangzhou's and
    /// Shenzhen's districts, then under half of the rest of the Pearl River Delta and under a third elsewhere.
    /// </summary>
    private IEnumerable<Division> CountiesWithCentres() => divisions.Counties.Where(county =>
        pilotCounties.Contains(county.Code) || random.NextDouble() < county.ParentCode switch
        {
            "440100" or "440300" => 0.65,
            _ when county.Region == Region.PearlRiverDelta => 0.45,
            _ => 0.3,
        });

    private void AddOutlet(Division city)
    {
        var (county, (category, name, services)) = Fresh(city, county =>
        {
            var place = county?.Name ?? city.Name;
            var stem = Stem(county ?? city);
            return random.Next(8) switch
            {
                0 or 1 => ("university", $"{stem}应用技术学院知识产权信息服务中心", OutletServices.Append("IC-GUIDE")),
                2 => ("research-institute", $"{city.Name}{Pick(ResearchFields)}研究院知识产权信息服务中心", OutletServices.Append("GEN-RISK")),
                3 => ("library", $"{place}图书馆知识产权信息服务部", OutletServices.Take(3).Append("GEN-DATABASE")),
                4 => ("tisc", $"{stem}技术与创新支持中心（TISC）", OutletServices.Append("GEN-RISK")),
                5 => ("park", $"{stem}高新技术产业园知识产权服务站", OutletServices.Append("PAT-FILING")),
                6 => ("industry-body", $"{city.Name}{Pick(Industries)}行业协会知识产权服务中心", OutletServices.Append("GEN-POLICY")),
                _ => ("other", $"{city.Name}生产力促进中心知识产权信息服务部", OutletServices.Append("GEN-POLICY")),
            };
        }, outlet => outlet.Item2);
        Add(InstitutionKind.InfoOutlet, city, county, "io", name, Opened(2020, 2025),
            [Channel.Window, Channel.Online], services, category, random.NextDouble() < 0.2 ? "national" : "provincial");
    }

    private void AddTrademarkPoints(Division city)
    {
        // Larger and delta cities host an acceptance window; the others are served by workstations.
        var hasWindow = city.Region == Region.PearlRiverDelta || random.NextDouble() < 0.4;
        if (hasWindow)
        {
            Add(InstitutionKind.TrademarkWindow, city, null, "tw", $"{city.Name}商标业务受理窗口", Opened(2019, 2023),
                random.NextDouble() < 0.5 ? [Channel.Window, Channel.Online] : [Channel.Window], WindowServices);
        }
        for (var n = hasWindow ? random.Next(0, 2) : random.Next(1, 3); n > 0; n--)
        {
            var (county, name) = Fresh(city, county => $"{county?.Name ?? city.Name}商标业务服务工作站", name => name);
            var services = random.NextDouble() < 0.5 ? ["TM-CONSULT", "TM-BRAND", "TM-ACCEPT"] : new[] { "TM-CONSULT", "TM-BRAND" };
            Add(InstitutionKind.TrademarkWorkstation, city, county, "ws", name, Opened(2021, 2025), [Channel.Window], services);
        }
    }

    private void AddBrandStations(Division city)
    {
        var count = city.Region == Region.PearlRiverDelta ? random.Next(4, 8) : random.Next(2, 5);
        for (var n = 0; n < count; n++)
        {
            var (county, (theme, name)) = Fresh(city, county =>
            {
                var theme = Pick(BrandThemes);
                return (theme, $"{county?.Name ?? city.Name}{theme}商标品牌指导站");
            }, station => station.Item2);
            var services = new List<string> { "TM-BRAND", "TM-CONSULT", "GEN-TRAINING" };
            if (theme is "特色农产品" or "茶叶" or "凉果")
                services.AddRange(["GI-GUIDE", "GI-MARK"]);
            else
                services.Add("GEN-PROTECT");
            Add(InstitutionKind.BrandGuidanceStation, city, county, "bg", name, Opened(2021, 2025), [Channel.Window, Channel.Online], services);
        }
    }

    /// <summary>
    /// Draws a place in <paramref name="city"/> and something to put there until its name is new, so the
    /// sample does not read like one station copied five times; gives up after a few tries.
    /// </summary>
    private (Division? County, T Value) Fresh<T>(Division city, Func<Division?, T> make, Func<T, string> nameOf)
    {
        (Division? County, T Value) candidate = default;
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var county = CountyOrNone(city);
            candidate = (county, make(county));
            if (!namesUsed.ContainsKey(nameOf(candidate.Value)))
                break;
        }
        return candidate;
    }

    private void Add(
        InstitutionKind kind, Division city, Division? county, string tag, string name, DateOnly opened,
        Channel[] channels, IEnumerable<string> services, string? category = null, string? rank = null)
    {
        var division = county?.Code ?? city.Code;
        var key = $"{division}-{tag}";
        var number = counters[key] = counters.GetValueOrDefault(key) + 1;
        // Where Fresh gave up, a number keeps names apart.
        var sameName = namesUsed[name] = namesUsed.GetValueOrDefault(name) + 1;
        var unique = sameName == 1 ? name : $"{name}（{sameName}）";
        built.Add(new Institution(
            $"gd-{key}-{number:000}", unique, kind, category, rank, city.Code, county?.Code, Address(city, county),
            Phone(city.Code), opened, "active", channels, [.. services], true));
    }

    private Division? CountyOrNone(Division city)
    {
        var counties = divisions.CountiesOf(city.Code);
        return counties.Count == 0 ? null : counties[random.Next(counties.Count)];
    }

    /// <summary>A short place name for institution names: 广州市 → 广州, 乳源瑶族自治县 → 乳源, 城区 → 汕尾.</summary>
    private string Stem(Division d) => d.Name switch
    {
        var n when n.Contains('族') => n[..2],
        { Length: > 2 } n => n[..^1],
        _ => Stem(divisions.CityOf(d.Code)!),
    };

    /// <summary>City-level institutions still have a street address in some district or town.</summary>
    private string Address(Division city, Division? county)
    {
        var area = county?.Name
            ?? (Towns.TryGetValue(city.Code, out var towns) ? Pick(towns) : CountyOrNone(city)!.Name);
        return $"{city.Name}{area}{Pick(Roads)}{random.Next(1, 600)}号{Pick(Buildings)}{random.Next(1, 12)}楼";
    }

    private string Phone(string cityCode)
    {
        var area = AreaCodes[cityCode];
        return EightDigitCities.Contains(cityCode)
            ? $"{area}-{random.Next(8000, 8999)} {random.Next(0, 10000):0000}"
            : $"{area}-{random.Next(200, 899)} {random.Next(0, 10000):0000}";
    }

    private DateOnly Opened(int firstYear, int lastYear)
    {
        var first = new DateOnly(firstYear, 1, 1);
        var span = new DateOnly(lastYear, 12, 31).DayNumber - first.DayNumber;
        return first.AddDays(random.Next(span + 1));
    }

    private T Pick<T>(T[] values) => values[random.Next(values.Length)];
}
