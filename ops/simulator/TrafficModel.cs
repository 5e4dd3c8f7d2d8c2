namespace Evaluation.Simulator;

/// <summary>What happened in one step of simulated time: service records to send, perhaps a new rating, perhaps a re-sent one.</summary>
internal sealed record TrafficStep(IReadOnlyList<ServiceRecordItem> Records, EvaluationItem? Rating, EvaluationItem? Resend);

/// <summary>
/// Generates the traffic of the whole registry, one handled service per step. Knows nothing of HTTP or pacing.
/// Services are mostly completed within their item's limit, some late, some left open (and a share of those
/// completed later by sending the record again); most completed services are rated, each rating naming its
/// service record (一事一评).
/// </summary>
internal sealed class TrafficModel
{
    public const double OpenShare = 0.17;
    public const double LateShare = 0.08;
    public const double RatedShare = 0.8;
    public const double RealNameShare = 0.2;
    public const double ResendShare = 0.01;
    public const double CompleteOpenShare = 0.1;

    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);
    private static readonly (string Channel, double Weight)[] ChannelWeights = [("window", 0.5), ("online", 0.35), ("hotline", 0.15)];

    // Late services sour the rater: their level is drawn as if the institution were this much worse.
    private const double LatePenalty = 0.3;

    // The API accepts backfill up to 366 days; late services stay well inside that.
    private const double MaxHandlingHours = 300 * 24;

    private const int ResendMemory = 1000;

    private readonly IReadOnlyList<InstitutionProfile> _profiles;
    private readonly double[] _cumulativeWeights;
    private readonly Dictionary<string, ServiceItem> _items;
    private readonly IReadOnlyList<ServiceItem> _itemList;
    private readonly Random _random;
    private readonly TimeProvider _clock;
    private readonly string _runTag;
    private readonly List<ServiceRecordItem> _open = [];
    private readonly List<EvaluationItem> _recentRatings = [];
    private long _services;
    private long _ratings;

    public TrafficModel(Registry registry, Random random, TimeProvider clock, string runTag)
    {
        if (registry.Institutions.Count == 0 || registry.ServiceItems.Count == 0)
        {
            throw new ArgumentException("the registry has no institutions or no service items to simulate", nameof(registry));
        }

        _random = random;
        _clock = clock;
        _runTag = runTag;
        _itemList = registry.ServiceItems.DistinctBy(i => i.Code).ToList();
        _items = _itemList.ToDictionary(i => i.Code);
        // Sorted so that a seed gives the same profiles whatever order the API listed institutions in.
        _profiles = registry.Institutions.OrderBy(i => i.Id, StringComparer.Ordinal).Select(i => InstitutionProfile.Draw(i, random)).ToList();
        _cumulativeWeights = new double[_profiles.Count];
        var sum = 0.0;
        for (var i = 0; i < _profiles.Count; i++)
        {
            sum += _profiles[i].Weight;
            _cumulativeWeights[i] = sum;
        }
    }

    public IReadOnlyList<InstitutionProfile> Profiles => _profiles;

    public TrafficStep Next()
    {
        var now = Now();
        var profile = PickInstitution();
        var institution = profile.Institution;
        var item = PickServiceItem(institution);
        var channel = PickChannel(institution);
        var id = $"sim-{_runTag}-s{++_services:D7}";

        var records = new List<ServiceRecordItem>(2);
        EvaluationItem? rating = null;
        var outcome = _random.NextDouble();
        if (outcome < OpenShare)
        {
            var accepted = now - Hours(_random.NextDouble(0, Math.Min(2, item.LimitHours * 0.3)));
            var record = new ServiceRecordItem(id, institution.Id, item.Code, channel, accepted, null);
            _open.Add(record);
            records.Add(record);
        }
        else
        {
            var late = outcome < OpenShare + LateShare;
            var completed = now - Hours(_random.NextDouble(0, 0.5));
            var accepted = completed - Hours(HandlingHours(item, late));
            records.Add(new ServiceRecordItem(id, institution.Id, item.Code, channel, accepted, completed));
            if (_random.NextDouble() < RatedShare)
            {
                rating = Rate(profile, item, channel, id, completed, late ? LatePenalty : 0, now);
            }
        }

        if (_open.Count > 0 && _random.NextDouble() < CompleteOpenShare)
        {
            var index = _random.Next(_open.Count);
            records.Add(_open[index] with { CompletedAt = now });
            _open.RemoveAt(index);
        }

        var resend = _recentRatings.Count > 0 && _random.NextDouble() < ResendShare ? _random.Pick(_recentRatings) : null;
        if (rating is not null)
        {
            Remember(rating);
        }

        return new TrafficStep(records, rating, resend);
    }

    private EvaluationItem Rate(InstitutionProfile profile, ServiceItem item, string channel, string recordId, DateTimeOffset completed, double penalty, DateTimeOffset now)
    {
        var level = profile.DrawLevel(_random, penalty);
        var realName = _random.NextDouble() < RealNameShare;
        var occurred = completed + TimeSpan.FromMinutes(_random.Next(0, 30));
        var voice = RaterVoice.Speak(level, _random);
        return new EvaluationItem(
            $"sim-{_runTag}-e{++_ratings:D7}",
            profile.Institution.Id,
            item.Code,
            channel,
            level,
            voice.Tags,
            voice.Comment,
            realName,
            realName ? RaterVoice.Contact(_random) : null,
            occurred < now ? occurred : now,
            recordId);
    }

    private double HandlingHours(ServiceItem item, bool late)
    {
        // Working-day limits stretch over weekends and holidays, so a late service must overshoot the
        // calendar span of its limit with room to spare to be late whatever the calendar says.
        var hours = late
            ? (item.LimitInWorkingDays ? (item.LimitHours * 7 / 5) + 72 : item.LimitHours) * _random.NextDouble(1.2, 2)
            : item.LimitHours * _random.NextDouble(0.05, 0.6);
        return Math.Clamp(hours, 0.1, MaxHandlingHours);
    }

    private InstitutionProfile PickInstitution()
    {
        var roll = _random.NextDouble() * _cumulativeWeights[^1];
        var index = Array.BinarySearch(_cumulativeWeights, roll);
        return _profiles[Math.Min(index < 0 ? ~index : index, _profiles.Count - 1)];
    }

    private ServiceItem PickServiceItem(Institution institution)
    {
        var offered = institution.Services.Where(_items.ContainsKey).ToList();
        return offered.Count > 0 ? _items[_random.Pick(offered)] : _random.Pick(_itemList);
    }

    private string PickChannel(Institution institution)
    {
        var available = ChannelWeights.Where(c => institution.Channels.Contains(c.Channel)).ToList();
        if (available.Count == 0)
        {
            return "window";
        }

        var roll = _random.NextDouble() * available.Sum(c => c.Weight);
        foreach (var (channel, weight) in available)
        {
            roll -= weight;
            if (roll < 0)
            {
                return channel;
            }
        }

        return available[^1].Channel;
    }

    private void Remember(EvaluationItem rating)
    {
        if (_recentRatings.Count == ResendMemory)
        {
            _recentRatings.RemoveAt(0);
        }

        _recentRatings.Add(rating);
    }

    private DateTimeOffset Now()
    {
        var utc = _clock.GetUtcNow();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero).ToOffset(ChinaStandardTime);
    }

    private static TimeSpan Hours(double hours) => TimeSpan.FromSeconds(Math.Round(hours * 3600));
}
