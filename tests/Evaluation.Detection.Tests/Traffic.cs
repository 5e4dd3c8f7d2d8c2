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

    /// <summary>Ratings on the day <paramref name="age"/> days before <see cref="Today"/>: <paramref name="bad"/> at level 1, the rest at 5.</summary>
    public Traffic Ratings(int age, int total, int bad)
    {
        for (var i = 0; i < total; i++)
        {
            Apply(LoggedEventKind.Evaluation, age, (byte)(i < bad ? 1 : 5), false, 0);
        }

        return this;
    }

    public Traffic Services(int age, int total, int late, double hours)
    {
        for (var i = 0; i < total; i++)
        {
            Apply(LoggedEventKind.ServiceOpened, age, 0, false, 0);
            Apply(LoggedEventKind.ServiceCompleted, age, 0, i >= late, hours);
        }

        return this;
    }

    /// <summary>Each of the last <paramref name="days"/> days alike.</summary>
    public Traffic Daily(int days, int ratings, int bad, int services = 0, int late = 0, double hours = 4)
    {
        for (var age = 0; age < days; age++)
        {
            Ratings(age, ratings, bad);
            Services(age, services, late, hours);
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

    private void Apply(LoggedEventKind kind, int age, byte level, bool onTime, double hours) =>
        Aggregation.Apply(Data, new LoggedEvent(++position, kind, Today.AddDays(-age), Channel.Window, IpDomain.Patent, level, onTime, hours, true));
}
