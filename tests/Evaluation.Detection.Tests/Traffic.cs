using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;
using Evaluation.Detection;
using Evaluation.Domain.Measures;
using Evaluation.Domain.Registry;

namespace Evaluation.Detection.Tests;

/// <summary>Builds aggregates the way institution grains do, from logged events, for hand-made cases.</summary>
internal sealed class Traffic
{
    public static readonly InstitutionRegistry Registry = InstitutionRegistry.LoadSample();

    public static readonly DateOnly Today = new(2026, 6, 30);

    private long position;

    public AggregateData Data { get; } = new();

    /// <summary>
    /// Ratings on the day <paramref name="age"/> days before <see cref="Today"/>: <paramref name="bad"/> at level 1, the
    /// rest at 5, about <paramref name="item"/> (none by default) through <paramref name="channel"/>.
    /// </summary>
    public Traffic Ratings(int age, int total, int bad, string? item = null, Channel channel = Channel.Window)
    {
        for (var i = 0; i < total; i++)
        {
            Apply(LoggedEventKind.Evaluation, age, (byte)(i < bad ? 1 : 5), false, 0, item, channel);
        }

        return this;
    }

    public Traffic Services(int age, int total, int late, double hours, string? item = null)
    {
        for (var i = 0; i < total; i++)
        {
            Apply(LoggedEventKind.ServiceOpened, age, 0, false, 0, item);
            Apply(LoggedEventKind.ServiceCompleted, age, 0, i >= late, hours, item);
        }

        return this;
    }

    /// <summary>Services accepted on the day and not (yet) completed.</summary>
    public Traffic Opened(int age, int total)
    {
        for (var i = 0; i < total; i++)
        {
            Apply(LoggedEventKind.ServiceOpened, age, 0, false, 0);
        }

        return this;
    }

    /// <summary>Each of the last <paramref name="days"/> days alike.</summary>
    public Traffic Daily(int days, int ratings, int bad, int services = 0, int late = 0, double hours = 4, string? item = null, Channel channel = Channel.Window)
    {
        for (var age = 0; age < days; age++)
        {
            Ratings(age, ratings, bad, item, channel);
            Services(age, services, late, hours, item);
        }

        return this;
    }

    /// <summary>
    /// 差评 on the day <paramref name="age"/> days before <see cref="Today"/>, each called back: the first
    /// <paramref name="late"/> after their deadline passed (noted overdue first), the rest on time.
    /// </summary>
    public Traffic CalledBack(int age, int total, int late)
    {
        for (var i = 0; i < total; i++)
        {
            Apply(LoggedEventKind.Evaluation, age, 1, false, 0);
            if (i < late)
            {
                Apply(LoggedEventKind.FollowUpCallBackOverdue, age, 1, false, 0);
            }

            Apply(LoggedEventKind.FollowUpCalledBack, age, 1, i >= late, 0);
        }

        return this;
    }

    public InstitutionFeatures Features(Institution institution) => FeatureBuilder.Build(Registry, institution, Data, Today);

    /// <summary>Institutions of one peer group, one per city, so each has peers outside its own city.</summary>
    public static IReadOnlyList<Institution> PeerGroup(int count)
    {
        var group = Registry.Institutions
            .GroupBy(Registry.PeerGroupOf)
            .OrderByDescending(g => g.Select(i => i.CityCode).Distinct().Count())
            .First();
        return [.. group.DistinctBy(i => i.CityCode).Take(count)];
    }

    private void Apply(LoggedEventKind kind, int age, byte level, bool onTime, double hours, string? item = null, Channel channel = Channel.Window) =>
        Aggregation.Apply(Data, new LoggedEvent(++position, kind, Today.AddDays(-age), channel, IpDomain.Patent, level, onTime, hours, true, item));
}
