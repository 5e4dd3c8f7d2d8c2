using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Measures;

namespace Evaluation.Domain.Tests.Measures;

/// <summary>Short constructors for logged events, so each test reads as the story it checks.</summary>
internal static class Events
{
    /// <summary>The 事项 random events are about: a few, so their tallies fill up; null for a source that names none.</summary>
    private static readonly string?[] Items = ["PAT-SEARCH", "TM-REG", "COPY-REG", null];

    public static LoggedEvent Rating(
        DateOnly day, int level, Channel channel = Channel.Window, IpDomain domain = IpDomain.Patent, string? item = null) =>
        new(0, LoggedEventKind.Evaluation, day, channel, domain, (byte)level, false, 0, false, item);

    public static LoggedEvent Opened(DateOnly day, Channel channel = Channel.Window, string? item = null) =>
        new(0, LoggedEventKind.ServiceOpened, day, channel, IpDomain.Patent, 0, false, 0, false, item);

    public static LoggedEvent Completed(
        DateOnly day, double hours, bool onTime = true, bool hadOpen = true, Channel channel = Channel.Window, string? item = null) =>
        new(0, LoggedEventKind.ServiceCompleted, day, channel, IpDomain.Patent, 0, onTime, hours, hadOpen, item);

    private static readonly string[][] SomeTopics = [["waiting"], ["attitude", "waiting"], ["other"], ["system", "fees", "overdue"]];

    /// <summary>
    /// A random event of the last two weeks: ratings (差评 with comment topics), exclusions of earlier ratings (some of
    /// days already pruned, which leaves a negative count behind), opened and completed services.
    /// </summary>
    public static LoggedEvent Random(Random random, DateOnly today, List<LoggedEvent> ratings)
    {
        var day = today.AddDays(-random.Next(15));
        var channel = (Channel)random.Next(3);
        var domain = (IpDomain)random.Next(3);
        var item = Items[random.Next(Items.Length)];
        switch (random.Next(10))
        {
            case < 4:
                // Some ratings name a known service record (verified), some of them one completed days before.
                var verified = random.Next(3) == 0;
                var level = random.Next(1, 6);
                var rating = Rating(day, level, channel, domain, item) with
                {
                    Topics = level <= 2 ? SomeTopics[random.Next(SomeTopics.Length)] : null,
                    Verified = verified,
                    RatedServiceDay = verified && random.Next(2) == 0 ? day.AddDays(-random.Next(3)) : null,
                };
                ratings.Add(rating);
                return rating;
            case < 5 when ratings.Count > 0:
                var excluded = ratings[random.Next(ratings.Count)];
                ratings.Remove(excluded);
                return excluded with
                {
                    Kind = random.Next(2) == 0 ? LoggedEventKind.EvaluationExcluded : LoggedEventKind.EvaluationSourceExcluded,
                    RatedServiceDay = null,
                };
            case < 7:
                return Opened(day, channel, item);
            default:
                return Completed(day, random.NextDouble() * 72, random.Next(4) > 0, random.Next(5) > 0, channel, item);
        }
    }

    /// <summary>The aggregate of the given events.</summary>
    public static AggregateData Aggregate(params LoggedEvent[] events)
    {
        var data = new AggregateData();
        foreach (var e in events)
        {
            Aggregation.Apply(data, e);
        }

        return data;
    }
}
