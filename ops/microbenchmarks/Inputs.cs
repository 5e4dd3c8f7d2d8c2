using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Calendar;
using Evaluation.Domain.Measures;
using Evaluation.Domain.Registry;

namespace Evaluation.MicroBenchmarks;

/// <summary>
/// Inputs shaped like the traffic ops/bench and the simulator send: institutions, items and channels of the
/// shipped sample registry, about 5 % 差评, some real-name ratings, a fixed clock and a fixed seed so runs compare.
/// </summary>
internal sealed class Inputs(int seed)
{
    /// <summary>09:30 in Shanghai, an ordinary working morning.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 24, 1, 30, 0, TimeSpan.Zero);

    public static readonly DateOnly Today = WorkingCalendar.ToLocalDate(Now).ToDateOnly();

    public static readonly InstitutionRegistry Registry = InstitutionRegistry.LoadSample();

    /// <summary>Only institutions that can receive anything; the sample also lists some without channels or services.</summary>
    public static readonly IReadOnlyList<Institution> Serving =
        [.. Registry.Institutions.Where(i => i.Channels.Count > 0 && i.Services.Count > 0)];

    private static readonly string[] Tags = ["态度好", "效率高", "等待久", "流程复杂", "指引清楚"];

    private readonly Random random = new(seed);

    public Institution AnyInstitution() => Serving[random.Next(Serving.Count)];

    public List<EvaluationInput> Ratings(int count, double invalidShare = 0) =>
        [.. Enumerable.Range(0, count).Select(i =>
        {
            var rating = Rating($"bench-eval-{i}", AnyInstitution());
            return random.NextDouble() < invalidShare ? Broken(rating) : rating;
        })];

    public List<ServiceRecordInput> ServiceRecords(int count, double invalidShare = 0) =>
        [.. Enumerable.Range(0, count).Select(i =>
        {
            var record = ServiceRecord($"bench-rec-{i}", AnyInstitution());
            return random.NextDouble() < invalidShare ? Broken(record) : record;
        })];

    /// <summary>Sources re-send items whose answer they missed, so a batch can hold the same id more than once.</summary>
    public List<T> WithResends<T>(List<T> items, double resendShare) =>
        [.. items.Select(item => random.NextDouble() < resendShare ? items[random.Next(items.Count)] : item)];

    /// <summary>What an institution grain is handed: ratings and services of the last weeks on its own channels and domains.</summary>
    public List<LoggedEvent> Events(Institution institution, int count, int days) =>
        [.. Enumerable.Range(1, count).Select(position =>
        {
            var day = Today.AddDays(-random.Next(days));
            var channel = institution.Channels[random.Next(institution.Channels.Count)];
            var domain = Registry.FindItem(institution.Services[random.Next(institution.Services.Count)])!.Domain;
            return random.NextDouble() switch
            {
                < 0.6 => new LoggedEvent(position, LoggedEventKind.Evaluation, day, channel, domain, (byte)Level(), false, 0, false),
                < 0.8 => new LoggedEvent(position, LoggedEventKind.ServiceOpened, day, channel, domain, 0, false, 0, false),
                _ => new LoggedEvent(
                    position, LoggedEventKind.ServiceCompleted, day, channel, domain, 0, random.NextDouble() < 0.9, random.NextDouble() * 72, true),
            };
        })];

    /// <summary>An institution's aggregate with <paramref name="days"/> days of history, built the way its grain builds it.</summary>
    public AggregateData Aggregate(Institution institution, int days, int eventsPerDay)
    {
        var data = new AggregateData();
        foreach (var e in Events(institution, days * eventsPerDay, days))
        {
            Aggregation.Apply(data, e);
        }

        return data;
    }

    private EvaluationInput Rating(string id, Institution institution)
    {
        var level = Level();
        var realName = random.NextDouble() < 0.2;
        return new EvaluationInput(
            id,
            institution.Id,
            institution.Services[random.Next(institution.Services.Count)],
            ChannelName(institution.Channels[random.Next(institution.Channels.Count)]),
            level,
            level <= 2 ? [Tags[random.Next(Tags.Length)], Tags[random.Next(Tags.Length)]] : null,
            level <= 3 ? "排队时间较长，希望增加窗口。" : null,
            realName,
            realName ? new Contact("张先生", $"+86 138 {random.Next(10_000_000):D8}") : null,
            Now.AddMinutes(-random.Next(1, 60 * 24 * 20)));
    }

    private ServiceRecordInput ServiceRecord(string id, Institution institution)
    {
        var accepted = Now.AddMinutes(-random.Next(60, 60 * 24 * 20));
        return new ServiceRecordInput(
            id,
            institution.Id,
            institution.Services[random.Next(institution.Services.Count)],
            ChannelName(institution.Channels[random.Next(institution.Channels.Count)]),
            accepted,
            random.NextDouble() < 0.7 ? accepted.AddMinutes(random.Next(1, 60)) : null);
    }

    /// <summary>The mistakes sources make: unknown ids, levels off the scale, clocks ahead, channels misspelt.</summary>
    private EvaluationInput Broken(EvaluationInput rating) => random.Next(4) switch
    {
        0 => rating with { InstitutionId = "no-such-institution" },
        1 => rating with { Level = 0 },
        2 => rating with { OccurredAt = Now.AddHours(1) },
        _ => rating with { Channel = "wechat", Id = null },
    };

    private ServiceRecordInput Broken(ServiceRecordInput record) => random.Next(3) switch
    {
        0 => record with { ServiceItem = "NO-SUCH-ITEM" },
        1 => record with { CompletedAt = record.AcceptedAt!.Value.AddHours(-1) },
        _ => record with { AcceptedAt = null },
    };

    /// <summary>About 5 % 差评, as in ops/bench's workload.</summary>
    private int Level() => random.NextDouble() switch
    {
        < 0.02 => 1,
        < 0.05 => 2,
        < 0.15 => 3,
        < 0.50 => 4,
        _ => 5,
    };

    private static string ChannelName(Channel channel) => channel.ToString().ToLowerInvariant();
}
