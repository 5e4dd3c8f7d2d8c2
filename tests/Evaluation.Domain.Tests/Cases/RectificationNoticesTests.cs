using Evaluation.Contracts.Cases;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Calendar;
using Evaluation.Domain.Cases;
using Xunit;

namespace Evaluation.Domain.Tests.Cases;

public sealed class RectificationNoticesTests
{
    private static readonly Actor Supervisor = new("sup-1", "province-supervisor");
    private static readonly Actor Officer = new("off-gz", "city-officer");
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    // 00:30 on 30 November in Shanghai is still 29 November in UTC.
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 0, 30, 0, Shanghai);

    private readonly FollowUpRules rules = new(WorkingCalendar.Default, new CaseSettings());

    [Theory]
    [InlineData(new double[0], null)]
    [InlineData(new[] { 4.0 }, 4.0)]
    [InlineData(new[] { 9.0, 1.0, 5.0 }, 5.0)]
    [InlineData(new[] { 8.0, 2.0, 1.0, 4.0 }, 3.0)]
    public void The_median_is_the_middle_value_or_the_mean_of_the_two_middle_ones(double[] values, double? median) =>
        Assert.Equal(median, RectificationNotices.Median(values));

    [Fact]
    public void The_period_is_the_last_90_Shanghai_days_including_today()
    {
        // September 2 to 30 is 29 days, October 31, November 1 to 30 another 30.
        Assert.Equal(new DateOnly(2026, 9, 2), RectificationNotices.FirstDay(Now));
        Assert.Equal(new DateTimeOffset(2026, 9, 2, 0, 0, 0, Shanghai), RectificationNotices.Since(Now));
    }

    [Fact]
    public void Counts_what_was_rectified_and_decided_in_the_period_by_service_item_and_tag()
    {
        var since = RectificationNotices.Since(Now);
        var followUps = new[]
        {
            // Opened 2 September 09:00, rectified 3.5 days later.
            Rectified("a", "PAT-SEARCH", ["slow", "rude", "slow"], since.AddHours(9), 3.5),
            Rectified("b", "PAT-SEARCH", ["slow"], since.AddDays(10), 1.5),
            Rectified("c", "TM-FILING", [], since.AddDays(20), 10),

            // Rectified one minute before the period began: left out.
            Rectified("d", "TM-FILING", ["slow"], since.AddDays(-10), 10 - (1 / 1440.0)),
            Appealed("e", since.AddDays(30), FollowUpStep.Uphold),
            Appealed("f", since.AddDays(31), FollowUpStep.Dismiss),

            // Decided the minute before the period began: left out.
            Appealed("g", since.AddMinutes(-1), FollowUpStep.Uphold),
        };

        var notice = RectificationNotices.Build("440100", null, followUps, Now);

        Assert.Equal(("440100", (string?)null, 90, new DateOnly(2026, 9, 2), new DateOnly(2026, 11, 30)),
            (notice.CityCode, notice.InstitutionId, notice.Days, notice.From, notice.To));
        Assert.Equal(3, notice.Rectified);
        Assert.Equal([new RectifiedCount("PAT-SEARCH", 2), new RectifiedCount("TM-FILING", 1)], notice.ByServiceItem);
        Assert.Equal([new RectifiedCount("slow", 2), new RectifiedCount("rude", 1)], notice.ByTag);
        Assert.Equal(3.5, notice.MedianDaysToRectify);
        Assert.Equal((1, 1), (notice.AppealsUpheld, notice.AppealsDismissed));
    }

    [Fact]
    public void Nothing_rectified_has_no_median()
    {
        var notice = RectificationNotices.Build("440100", "inst-1", [], Now);
        Assert.Equal((0, (double?)null, 0, 0), (notice.Rectified, notice.MedianDaysToRectify, notice.AppealsUpheld, notice.AppealsDismissed));
        Assert.Empty(notice.ByServiceItem);
        Assert.Empty(notice.ByTag);
    }

    [Fact]
    public void The_median_is_published_to_a_tenth_of_a_day()
    {
        var opened = RectificationNotices.Since(Now).AddDays(1);
        var notice = RectificationNotices.Build("440100", null, [Rectified("a", "PAT-SEARCH", [], opened, 2.04)], Now);
        Assert.Equal(2.0, notice.MedianDaysToRectify);
    }

    private FollowUp Rectified(string id, string serviceItem, string[] tags, DateTimeOffset opened, double days)
    {
        var f = rules.Open(Opening(id, serviceItem, tags), opened);
        f = rules.Apply(f, new FollowUpCommand(FollowUpStep.CallBack, Officer, "justified"), opened.AddMinutes(1));
        return rules.Apply(f, new FollowUpCommand(FollowUpStep.Rectify, Officer, "done"), opened.AddDays(days));
    }

    private FollowUp Appealed(string id, DateTimeOffset decided, FollowUpStep decision)
    {
        var f = rules.Open(Opening(id, "PAT-SEARCH", ["slow"]), decided.AddHours(-2));
        f = rules.Apply(f, new FollowUpCommand(FollowUpStep.Appeal, Officer, "rated the wrong office"), decided.AddHours(-1));
        return rules.Apply(f, new FollowUpCommand(decision, Supervisor, "decided"), decided);
    }

    private static FollowUpOpening Opening(string id, string serviceItem, string[] tags) => new(
        id, "inst-1", "440100", serviceItem, Channel.Window, IpDomain.Patent, new DateOnly(2026, 9, 1),
        new DateTimeOffset(2026, 9, 1, 9, 0, 0, Shanghai), 1, tags, "a comment never published", true, null);
}
