using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Measures;
using Xunit;

namespace Evaluation.Domain.Tests.Measures;

/// <summary>Adding, replacing and comparing aggregates counter by counter, each counter on its own.</summary>
public sealed class AggregationArithmeticTests
{
    private static readonly DateOnly Day = new(2026, 3, 10);
    private static readonly TallyKey Key = new(Day, Channel.Window, IpDomain.Patent);

    public static TheoryData<string> Counters => [nameof(Tally.Opened), nameof(Tally.Completed), nameof(Tally.CompletedOnTime), nameof(Tally.Verified), nameof(Tally.RatedServices)];

    [Theory]
    [MemberData(nameof(Counters))]
    public void A_member_report_that_changed_one_counter_changes_that_counter_in_the_total(string counter)
    {
        var previous = With(Only(counter, 1));
        var current = With(Only(counter, 3));
        var total = Aggregation.Sum([previous, With(Only(counter, 10))]);

        Aggregation.Replace(total, previous, current);

        Assert.Equal(13, Get(total.Tallies[Key], counter));
    }

    [Theory]
    [MemberData(nameof(Counters))]
    public void A_tally_with_only_one_counter_set_is_kept_in_a_total(string counter)
    {
        var total = new AggregateData();
        Aggregation.Replace(total, new AggregateData(), With(Only(counter, 1)));
        Assert.Equal(1, Get(Assert.Single(total.Tallies).Value, counter));
    }

    [Fact]
    public void Replacing_carries_verified_ratings_rated_services_hours_backlog_and_months()
    {
        var month = new MonthKey(2025, 12, Channel.Window, IpDomain.Patent);
        var previous = With(new Tally { Verified = 2, RatedServices = 2, Completed = 1, HandlingHoursSum = 4 });
        previous.Backlog = 2;
        previous.Months[month] = new Tally { Opened = 1 };
        var current = With(new Tally { Verified = 3, RatedServices = 5, Completed = 2, HandlingHoursSum = 6.5 });
        current.Backlog = 5;
        current.Months[month] = new Tally { Opened = 4 };
        var total = Aggregation.Sum([previous]);

        Aggregation.Replace(total, previous, current);

        Assert.Empty(Aggregation.Differences(current, total));
        Assert.Equal((3L, 5L, 6.5, 5L, 4L), (total.Tallies[Key].Verified, total.Tallies[Key].RatedServices, total.Tallies[Key].HandlingHoursSum, total.Backlog, total.Months[month].Opened));
    }

    [Fact]
    public void A_sum_adds_months_and_verified_ratings_and_rated_services()
    {
        var month = new MonthKey(2025, 12, Channel.Online, IpDomain.Trademark);
        var a = With(new Tally { Verified = 1, RatedServices = 2 });
        a.Months[month] = new Tally { Completed = 1 };
        var b = With(new Tally { Verified = 3, RatedServices = 4 });
        b.Months[month] = new Tally { Completed = 2 };

        var sum = Aggregation.Sum([a, b]);

        Assert.Equal((4L, 6L, 3L), (sum.Tallies[Key].Verified, sum.Tallies[Key].RatedServices, sum.Months[month].Completed));
    }

    [Fact]
    public void Differences_name_every_counter_that_differs()
    {
        var expected = With(new Tally
        {
            Opened = 1,
            Completed = 2,
            CompletedOnTime = 1,
            Verified = 1,
            RatedServices = 3,
            HandlingHoursSum = 10,
            FollowUps = new FollowUpCounts { Upheld = 1 },
        });

        Assert.Equal(
            [
                "2026-03-10/Window/Patent Opened: expected 1, actual 0",
                "2026-03-10/Window/Patent Completed: expected 2, actual 0",
                "2026-03-10/Window/Patent CompletedOnTime: expected 1, actual 0",
                "2026-03-10/Window/Patent Verified: expected 1, actual 0",
                "2026-03-10/Window/Patent RatedServices: expected 3, actual 0",
                "2026-03-10/Window/Patent HandlingHoursSum: expected 10, actual 0",
                "2026-03-10/Window/Patent FollowUps[8]: expected 1, actual 0",
            ],
            Aggregation.Differences(expected, With(new Tally())));
    }

    [Fact]
    public void Handling_hours_differ_only_beyond_a_billionth_of_their_size()
    {
        Assert.Empty(Aggregation.Differences(With(new Tally { HandlingHoursSum = 1000 }), With(new Tally { HandlingHoursSum = 1000.0000001 })));
        Assert.Single(Aggregation.Differences(With(new Tally { HandlingHoursSum = 1000 }), With(new Tally { HandlingHoursSum = 1000.00001 })));
        Assert.Single(Aggregation.Differences(With(new Tally { HandlingHoursSum = 0.5 }), With(new Tally { HandlingHoursSum = 0.5 + 1e-8 })));
    }

    [Fact]
    public void Differences_are_listed_by_day_channel_and_domain_then_items_then_months()
    {
        var expected = new AggregateData();
        expected.Tallies[new TallyKey(Day.AddDays(1), Channel.Window, IpDomain.Patent)] = new Tally { Opened = 1 };
        expected.Tallies[new TallyKey(Day, Channel.Online, IpDomain.Patent)] = new Tally { Opened = 1 };
        expected.Tallies[new TallyKey(Day, Channel.Window, IpDomain.Trademark)] = new Tally { Opened = 1 };
        expected.Tallies[new TallyKey(Day, Channel.Window, IpDomain.Patent)] = new Tally { Opened = 1 };
        expected.ServiceItems[new ServiceItemKey(Day.AddDays(1), "A")] = new Tally { Opened = 1 };
        expected.ServiceItems[new ServiceItemKey(Day, "B")] = new Tally { Opened = 1 };
        expected.ServiceItems[new ServiceItemKey(Day, "A")] = new Tally { Opened = 1 };
        var actual = new AggregateData();
        actual.Months[new MonthKey(2026, 1, Channel.Online, IpDomain.Patent)] = new Tally { Opened = 1 };
        actual.Months[new MonthKey(2026, 1, Channel.Window, IpDomain.Trademark)] = new Tally { Opened = 1 };
        actual.Months[new MonthKey(2026, 1, Channel.Window, IpDomain.Patent)] = new Tally { Opened = 1 };
        actual.Months[new MonthKey(2025, 2, Channel.Window, IpDomain.Patent)] = new Tally { Opened = 1 };
        actual.Months[new MonthKey(2025, 12, Channel.Window, IpDomain.Patent)] = new Tally { Opened = 1 };

        Assert.Equal(
            [
                "2026-03-10/Window/Patent", "2026-03-10/Window/Trademark", "2026-03-10/Online/Patent", "2026-03-11/Window/Patent",
                "2026-03-10/item A", "2026-03-10/item B", "2026-03-11/item A",
                "2025-02/Window/Patent", "2025-12/Window/Patent", "2026-01/Window/Patent", "2026-01/Window/Trademark", "2026-01/Online/Patent",
            ],
            Aggregation.Differences(expected, actual).Select(d => d[..d.IndexOf(" Opened", StringComparison.Ordinal)]));
    }

    private static AggregateData With(Tally tally)
    {
        var data = new AggregateData();
        data.Tallies[Key] = tally;
        return data;
    }

    private static Tally Only(string counter, long value)
    {
        var tally = new Tally();
        typeof(Tally).GetProperty(counter)!.SetValue(tally, value);
        return tally;
    }

    private static long Get(Tally tally, string counter) => (long)typeof(Tally).GetProperty(counter)!.GetValue(tally)!;
}
