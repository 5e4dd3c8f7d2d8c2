using Evaluation.Contracts.Detection;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Registry;

namespace Evaluation.Detection;

/// <summary>
/// Which service item (事项) or channel of an institution fails, and which item fails across a city. A part is judged
/// like a whole institution (a one-sided Wilson bound beyond a margin, a minimum of 差评) against two yardsticks: the
/// same part at peers (the median and pooled rate of the other institutions' same item or channel, outside its
/// city), and the rest of its own institution (or city). So a part flags only where it stands out; an institution
/// bad all over is the other reasons' business, not one alert per item.
/// </summary>
public sealed class PartComparison(DetectionSettings settings, ServiceItemCatalog catalog)
{
    private const string PeerLabel = "同类机构该项中位数";

    /// <summary>A city-wide item failure is several institutions' 差评, not a handful at one: more of them needed.</summary>
    private const int CityMinBadFactor = 2;

    private static readonly FeatureWindow[] Windows = [FeatureWindow.Days7, FeatureWindow.Days30];

    public IReadOnlyList<Signal> Institutions(IReadOnlyList<InstitutionFeatures> rows, IReadOnlyDictionary<string, double> anomaly)
    {
        var items = new PartPeers<string>(rows, r => r.Parts.Items);
        var channels = new PartPeers<Channel>(rows, r => r.Parts.Channels);
        var signals = new List<Signal>();
        foreach (var row in rows)
        {
            var score = anomaly.GetValueOrDefault(row.Institution.Id);
            foreach (var (code, counts) in row.Parts.Items.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                if (Judge(counts, Whole(row), items.Peers(code, row.Institution.CityCode), ItemLabel(code), "本机构其他事项", PeerLabel, settings.MinPartBad) is { } j)
                {
                    signals.Add(new Signal(row, AlertReason.ServiceItem, j.Raise, j.Hold, j.Severity, score, [j.Line with { ServiceItem = code }]) { ServiceItem = code });
                }
            }

            foreach (var (channel, counts) in row.Parts.Channels.OrderBy(p => p.Key))
            {
                if (Judge(counts, Whole(row), channels.Peers(channel, row.Institution.CityCode), ChannelLabel(channel), "本机构其他渠道", PeerLabel, settings.MinPartBad) is { } j)
                {
                    signals.Add(new Signal(row, AlertReason.Channel, j.Raise, j.Hold, j.Severity, score, [j.Line with { Channel = channel }]) { Channel = channel });
                }
            }
        }

        return signals;
    }

    /// <summary>
    /// Each city's service items against the same item in the other cities and the other items of the same
    /// institutions. The city's institution with the most 差评 on the item is left out, so one failing institution
    /// (its own alert) does not make a city-wide one, and the yardstick is the rest of what the institutions doing the
    /// item do, so another institution bad at everything (its own alert too) does not make its items look failing;
    /// subject: the city code.
    /// </summary>
    public IReadOnlyList<Signal> Cities(IReadOnlyList<InstitutionFeatures> rows)
    {
        var cities = rows.GroupBy(r => r.Institution.CityCode).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var itemTotals = cities.ToDictionary(g => g.Key, g => ItemSums(g));
        var signals = new List<Signal>();
        foreach (var city in cities)
        {
            foreach (var code in itemTotals[city.Key].Keys.Order(StringComparer.Ordinal))
            {
                var holders = city.Where(r => r.Parts.Items.ContainsKey(code)).ToList();
                if (holders.Count < 2)
                {
                    continue;
                }

                var kept = holders.OrderByDescending(r => r.Parts.Items[code].Days30.Bad).Skip(1).ToList();
                var counts = kept.Aggregate(default(PartCounts), (sum, r) => sum + r.Parts.Items[code]);
                var whole = kept.Aggregate(default(PartCounts), (sum, r) => sum + Whole(r));
                var peers = PartPeers<string>.Summarize(itemTotals.Where(c => c.Key != city.Key && c.Value.ContainsKey(code)).Select(c => c.Value[code]));
                if (Judge(counts, whole, peers, ItemLabel(code), "本市其他事项", "其他地市该事项中位数", CityMinBadFactor * settings.MinPartBad) is { } j)
                {
                    signals.Add(new Signal(city.Key, city.Key, AlertReason.ServiceItem, j.Raise, j.Hold, j.Severity, 0, [j.Line with { ServiceItem = code }], code));
                }
            }
        }

        return signals;
    }

    private Judgement? Judge(PartCounts part, PartCounts whole, PartYardstick peers, string label, string restLabel, string peerLabel, int minBad)
    {
        var raise = false;
        var hold = false;
        double excess = 0;
        ExplanationLine? line = null;
        foreach (var window in Windows)
        {
            var counts = part[window];
            var rest = whole[window] - counts;
            if (counts.Ratings < Measures.MinSampleForMedian || peers[window] is not { } peer)
            {
                continue;
            }

            // A part that is (nearly) all of its whole is the whole: the institution's own reasons judge it.
            if (rest.Ratings < Measures.MinSampleForMedian)
            {
                continue;
            }

            var restRate = rest.BadRate!.Value;
            // Every part of every institution is tested every run, the week's few ratings most noisily: a wider margin there.
            var margin = window == FeatureWindow.Days7 ? settings.PartMargin * 1.5 : settings.PartMargin;
            var threshold = Math.Max(Math.Max(peer.Median, peer.Pooled), restRate) + margin;
            var lower = Wilson.Lower(counts.Bad, counts.Ratings, settings.Z);
            var raisedHere = counts.Bad >= minBad && lower > threshold;
            var heldHere = counts.BadRate > threshold - (margin / 2);
            if (raisedHere || (heldHere && line is null))
            {
                line = new ExplanationLine(Measures.Name(Measure.BadRate), counts.BadRate!.Value, peer.Median, FeatureWindows.Name(window),
                    $"{label}{FeatureWindows.Label(window)}差评率 {Explanations.Percent(counts.BadRate!.Value)}（{counts.Ratings} 条评价），"
                    + $"{peerLabel} {Explanations.Percent(peer.Median)}，{restLabel} {Explanations.Percent(restRate)}");
            }

            if (raisedHere)
            {
                raise = true;
                excess = Math.Max(excess, lower - threshold);
            }

            hold |= heldHere;
        }

        return raise || hold ? new Judgement(raise, hold, Detector.SeverityOf(excess), line!) : null;
    }

    private static PartCounts Whole(InstitutionFeatures row) => new(row[FeatureWindow.Days7], row[FeatureWindow.Days30]);

    private string ItemLabel(string code) => catalog.Find(code) is { } item ? $"事项「{item.Name}」（{code}）" : $"事项 {code} ";

    private static string ChannelLabel(Channel channel) => channel switch
    {
        Channel.Window => "窗口渠道",
        Channel.Online => "网上渠道",
        _ => "热线渠道",
    };

    private static Dictionary<string, PartCounts> ItemSums(IEnumerable<InstitutionFeatures> rows)
    {
        var sums = new Dictionary<string, PartCounts>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            foreach (var (code, counts) in row.Parts.Items)
            {
                sums[code] = sums.GetValueOrDefault(code) + counts;
            }
        }

        return sums;
    }

    private sealed record Judgement(bool Raise, bool Hold, AlertSeverity Severity, ExplanationLine Line);
}

/// <summary>
/// The same part (a service item or a channel) at the other institutions, outside a given city; computed when first
/// asked for. The rows are indexed by part once, each part's rates sorted once, so a yardstick outside a city is one
/// pass over the part's holders rather than a scan of every row and a sort for every part and city.
/// </summary>
internal sealed class PartPeers<TKey>(IReadOnlyList<InstitutionFeatures> rows, Func<InstitutionFeatures, IReadOnlyDictionary<TKey, PartCounts>> partsOf)
    where TKey : notnull
{
    private readonly Dictionary<(TKey, string), PartYardstick> cache = [];
    private Dictionary<TKey, Holders>? holders;

    public PartYardstick Peers(TKey key, string city)
    {
        if (!cache.TryGetValue((key, city), out var yardstick))
        {
            holders ??= Index();
            yardstick = holders.TryGetValue(key, out var part)
                ? new PartYardstick(part.Days7.Outside(city), part.Days30.Outside(city))
                : default;
            cache[(key, city)] = yardstick;
        }

        return yardstick;
    }

    private Dictionary<TKey, Holders> Index()
    {
        var byKey = new Dictionary<TKey, List<(string, PartCounts)>>();
        foreach (var row in rows)
        {
            foreach (var (key, counts) in partsOf(row))
            {
                if (!byKey.TryGetValue(key, out var members))
                {
                    members = [];
                    byKey[key] = members;
                }

                members.Add((row.Institution.CityCode, counts));
            }
        }

        return byKey.ToDictionary(p => p.Key, p => new Holders(new WindowPeers(p.Value, FeatureWindow.Days7), new WindowPeers(p.Value, FeatureWindow.Days30)));
    }

    private sealed record Holders(WindowPeers Days7, WindowPeers Days30);

    /// <summary>One part's holders in one window: their rates (those with enough ratings), and their ratings and 差评 by city.</summary>
    private sealed class WindowPeers
    {
        private readonly OutsideCity rates;
        private readonly Dictionary<string, (long Ratings, long Bad)> byCity = new(StringComparer.Ordinal);
        private readonly long ratings;
        private readonly long bad;

        public WindowPeers(List<(string City, PartCounts Counts)> members, FeatureWindow window)
        {
            var values = new List<(string, double)>(members.Count);
            foreach (var (city, part) in members)
            {
                var counts = part[window];
                var sum = byCity.GetValueOrDefault(city);
                byCity[city] = (sum.Ratings + counts.Ratings, sum.Bad + counts.Bad);
                ratings += counts.Ratings;
                bad += counts.Bad;
                if (counts.Ratings >= Measures.MinSampleForMedian)
                {
                    values.Add((city, counts.BadRate!.Value));
                }
            }

            rates = new OutsideCity(values);
        }

        /// <summary>The holders' median and pooled rate outside a city, as <see cref="Summarize"/> gives them of those holders.</summary>
        public PartPeer? Outside(string city)
        {
            if (rates.Count(city) < PeerStatistics.MinPeers)
            {
                return null;
            }

            var own = byCity.GetValueOrDefault(city);
            var (r, b) = (ratings - own.Ratings, bad - own.Bad);
            return new PartPeer(rates.Median(city)!.Value, r == 0 ? 0 : (double)b / r);
        }
    }

    /// <summary>The median of the members' rates (those with enough ratings) and their pooled rate, per window.</summary>
    public static PartYardstick Summarize(IEnumerable<PartCounts> members)
    {
        var list = members.ToList();
        return new PartYardstick(Of(list, FeatureWindow.Days7), Of(list, FeatureWindow.Days30));
    }

    private static PartPeer? Of(List<PartCounts> members, FeatureWindow window)
    {
        var rates = new List<double>(members.Count);
        long ratings = 0, bad = 0;
        foreach (var member in members)
        {
            var counts = member[window];
            ratings += counts.Ratings;
            bad += counts.Bad;
            if (counts.Ratings >= Measures.MinSampleForMedian)
            {
                rates.Add(counts.BadRate!.Value);
            }
        }

        if (rates.Count < PeerStatistics.MinPeers)
        {
            return null;
        }

        // A plain sort of the rates rather than an ordered query's copy: the same median, without its index map.
        rates.Sort();
        return new PartPeer(PeerStatistics.MedianOfSorted(rates), ratings == 0 ? 0 : (double)bad / ratings);
    }
}

/// <summary>The 差评率 of one part at its peers: their median and their pooled rate.</summary>
internal readonly record struct PartPeer(double Median, double Pooled);

/// <summary>A part's peers over the last 7 and 30 days; null where too few peers have enough ratings.</summary>
internal readonly record struct PartYardstick(PartPeer? Days7, PartPeer? Days30)
{
    public PartPeer? this[FeatureWindow window] => window == FeatureWindow.Days7 ? Days7 : Days30;
}
