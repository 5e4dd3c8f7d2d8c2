using Evaluation.Contracts.Measures;
using Evaluation.Domain.Calendar;
using Evaluation.Domain.Measures;
using Evaluation.Domain.Registry;

namespace Evaluation.Grains.Areas;

/// <summary>Computes measures "as of now" on the silo's clock, with today as an Asia/Shanghai day.</summary>
public static class AreaClock
{
    /// <summary>The window rankings and peer priors use.</summary>
    public const int RankingDays = 30;

    public static DateOnly Today(TimeProvider time) => WorkingCalendar.ToLocalDate(time.GetUtcNow()).ToDateOnly();

    public static AreaMeasures Compute(AggregateData data, PeerPrior? prior, TimeProvider time)
    {
        var now = time.GetUtcNow();
        return MeasureCalculator.Compute(data, now, WorkingCalendar.ToLocalDate(now).ToDateOnly(), prior, MeasureSettings.Default);
    }

    /// <summary>The measures per channel, domain and service item, the items named as the registry names them.</summary>
    public static AreaBreakdowns Breakdowns(AggregateData data, PeerPrior? prior, TimeProvider time, InstitutionRegistry registry)
    {
        var now = time.GetUtcNow();
        return MeasureCalculator.Breakdowns(
            data, now, WorkingCalendar.ToLocalDate(now).ToDateOnly(), prior, MeasureSettings.Default, code => registry.FindItem(code)?.Name);
    }

    /// <summary>The score rankings use: the 30-day window, smoothed toward the peer prior.</summary>
    public static ScoreView RankingScore(AggregateData data, PeerPrior? prior, TimeProvider time) =>
        MeasureCalculator.Score(RecentLevels(data, time), prior, MeasureSettings.Default, MeasureSettings.Default.MinSampleFor(Windows.Days30));

    /// <summary>Ratings by level over the ranking window ending today.</summary>
    public static long[] RecentLevels(AggregateData data, TimeProvider time)
    {
        var today = Today(time);
        var levels = new long[5];
        foreach (var (key, tally) in data.Tallies)
        {
            var age = today.DayNumber - key.Day.DayNumber;
            if (age is >= 0 and < RankingDays)
            {
                for (var i = 0; i < levels.Length; i++)
                {
                    levels[i] += tally.Levels[i];
                }
            }
        }

        return levels;
    }
}
