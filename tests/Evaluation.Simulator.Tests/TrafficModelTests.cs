using Evaluation.Simulator;
using Xunit;

namespace Evaluation.Simulator.Tests;

public sealed class TrafficModelTests
{
    private const int Steps = 30_000;

    private static readonly Registry SampleRegistry = new(
        [.. Enumerable.Range(0, 60).Select(i => new Institution(
            $"inst-{i:D3}",
            i % 3 == 0 ? "comprehensive-centre" : "info-outlet",
            "440100",
            i % 2 == 0 ? ["window", "online", "hotline"] : ["online"],
            i % 5 == 0 ? ["P-HOURS"] : ["P-DAYS", "T-DAYS"]))],
        [new ServiceItem("P-HOURS", 4, false), new ServiceItem("P-DAYS", 5 * 24, true), new ServiceItem("T-DAYS", 20 * 24, true)]);

    private static (TrafficModel Model, List<TrafficStep> Steps) Run(int seed)
    {
        var model = new TrafficModel(SampleRegistry, new Random(seed), TimeProvider.System, "test");
        return (model, Enumerable.Range(0, Steps).Select(_ => model.Next()).ToList());
    }

    [Fact]
    public void About_five_percent_of_ratings_are_bad_and_a_fifth_real_name()
    {
        var ratings = Run(1).Steps.Select(s => s.Rating).OfType<EvaluationItem>().ToList();

        var bad = ratings.Count(r => r.Level <= 2) / (double)ratings.Count;
        var realName = ratings.Count(r => r.RealName) / (double)ratings.Count;
        Assert.InRange(bad, 0.035, 0.065);
        Assert.InRange(realName, 0.17, 0.23);
        Assert.All(ratings, r => Assert.Equal(r.RealName, r.Contact is not null));
    }

    [Fact]
    public void Ratings_use_the_institutions_own_channels_and_services()
    {
        var byId = SampleRegistry.Institutions.ToDictionary(i => i.Id);

        foreach (var rating in Run(2).Steps.Select(s => s.Rating).OfType<EvaluationItem>())
        {
            Assert.Contains(rating.Channel, byId[rating.InstitutionId].Channels);
            Assert.Contains(rating.ServiceItem, byId[rating.InstitutionId].Services);
        }
    }

    [Fact]
    public void Times_are_in_china_standard_time_and_never_in_the_future()
    {
        var steps = Run(3).Steps;
        var latest = DateTimeOffset.UtcNow.AddSeconds(1);

        var times = steps.SelectMany(s => s.Records.SelectMany(r => new[] { r.AcceptedAt, r.CompletedAt ?? r.AcceptedAt }))
            .Concat(steps.Select(s => s.Rating).OfType<EvaluationItem>().Select(r => r.OccurredAt));
        Assert.All(times, t =>
        {
            Assert.Equal(TimeSpan.FromHours(8), t.Offset);
            Assert.True(t <= latest, $"{t:O} lies in the future");
            Assert.True(t > latest.AddDays(-366), $"{t:O} lies beyond the backfill window");
        });
        Assert.All(steps.SelectMany(s => s.Records), r => Assert.True(r.CompletedAt is null || r.CompletedAt >= r.AcceptedAt));
    }

    [Fact]
    public void Some_services_stay_open_some_complete_later_and_some_ratings_are_resent()
    {
        var steps = Run(4).Steps;
        var records = steps.SelectMany(s => s.Records).ToList();

        var opened = records.Where(r => r.CompletedAt is null).Select(r => r.Id).ToHashSet();
        var completedLater = records.Count(r => r.CompletedAt is not null && opened.Contains(r.Id));
        Assert.InRange(opened.Count / (double)Steps, 0.12, 0.22);
        Assert.InRange(completedLater, 1, opened.Count - 1);
        Assert.InRange(steps.Count(s => s.Resend is not null), Steps / 200, Steps / 50);
        Assert.Equal(steps.Count(s => s.Rating is not null), steps.Select(s => s.Rating?.Id).OfType<string>().Distinct().Count());
    }

    [Fact]
    public void Most_completed_services_finish_within_their_limit()
    {
        var limits = SampleRegistry.ServiceItems.ToDictionary(i => i.Code, i => i.LimitHours);
        var completed = Run(5).Steps.Select(s => s.Records[0]).Where(r => r.CompletedAt is not null).ToList();

        var withinLimit = completed.Count(r => (r.CompletedAt!.Value - r.AcceptedAt).TotalHours <= limits[r.ServiceItem]);
        Assert.InRange(withinLimit / (double)completed.Count, 0.85, 0.95);
    }

    [Fact]
    public void Institutions_differ_in_quality()
    {
        var qualities = Run(6).Model.Profiles.Select(p => p.Quality).ToList();

        Assert.True(qualities.Max() - qualities.Min() > 0.3);
        Assert.InRange(qualities.Average(), 0.72, 0.88);
    }

    [Fact]
    public void The_same_seed_gives_the_same_traffic()
    {
        var first = Run(7).Steps.Take(500).Select(s => (s.Rating?.Level, s.Rating?.InstitutionId, s.Records[0].ServiceItem));
        var second = Run(7).Steps.Take(500).Select(s => (s.Rating?.Level, s.Rating?.InstitutionId, s.Records[0].ServiceItem));

        Assert.Equal(first, second);
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(0.8)]
    [InlineData(0.99)]
    public void Level_probabilities_form_a_distribution(double quality)
    {
        var probabilities = InstitutionProfile.LevelProbabilities(quality);

        Assert.All(probabilities, p => Assert.InRange(p, 0, 1));
        Assert.Equal(1, probabilities.Sum(), 9);
    }
}
