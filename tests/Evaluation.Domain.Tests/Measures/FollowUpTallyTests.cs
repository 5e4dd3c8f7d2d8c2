using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Measures;
using Xunit;

namespace Evaluation.Domain.Tests.Measures;

public sealed class FollowUpTallyTests
{
    private static readonly DateOnly Day = new(2026, 3, 10);

    [Fact]
    public void Each_step_counts_once_and_a_step_that_ends_an_overdue_stage_takes_it_off_the_overdue_count()
    {
        var counts = new FollowUpCounts();
        Assert.All(
            [
                Step(LoggedEventKind.FollowUpCallBackOverdue),
                Step(LoggedEventKind.FollowUpCalledBack, hadOpen: true),
                Step(LoggedEventKind.FollowUpCalledBack, onTime: true),
                Step(LoggedEventKind.FollowUpRectifyOverdue),
                Step(LoggedEventKind.FollowUpRectified, hadOpen: true),
                Step(LoggedEventKind.FollowUpRectified, onTime: true),
                Step(LoggedEventKind.FollowUpAppealed),
                Step(LoggedEventKind.FollowUpAppealDismissed),
            ],
            step => Assert.True(FollowUpTally.Apply(counts, step)));

        // Opened, called back (on time), call-back missed, rectified (on time), rectify missed, appealed, upheld, dismissed, overdue.
        Assert.Equal([0L, 2, 1, 1, 2, 1, 1, 1, 0, 1, 0], FollowUpTally.Values(counts));
    }

    [Fact]
    public void A_missed_deadline_is_overdue_until_its_stage_ends()
    {
        var counts = new FollowUpCounts();
        FollowUpTally.Apply(counts, Step(LoggedEventKind.FollowUpCallBackOverdue));
        FollowUpTally.Apply(counts, Step(LoggedEventKind.FollowUpRectifyOverdue));
        Assert.Equal((2L, 1L, 1L), (counts.Overdue, counts.CallBackMissed, counts.RectifyMissed));
    }

    [Fact]
    public void An_event_that_is_no_follow_up_step_changes_nothing()
    {
        var counts = new FollowUpCounts();
        Assert.False(FollowUpTally.Apply(counts, Events.Rating(Day, 1) with { HadOpen = true }));
        Assert.True(FollowUpTally.IsEmpty(counts));
    }

    [Fact]
    public void Counts_are_added_and_taken_away_counter_by_counter()
    {
        var target = Counts(1);
        FollowUpTally.Add(target, Counts(2), sign: 1);
        Assert.Equal(Enumerable.Repeat(3L, 11), FollowUpTally.Values(target));
        FollowUpTally.Add(target, Counts(3), sign: -1);
        Assert.True(FollowUpTally.IsEmpty(target));
    }

    [Fact]
    public void No_counts_and_all_zero_counts_are_the_same_empty_counts()
    {
        var one = new FollowUpCounts { Upheld = 1 };
        Assert.Empty(FollowUpTally.Values(null));
        Assert.True(FollowUpTally.IsEmpty(null));
        Assert.True(FollowUpTally.IsEmpty(new FollowUpCounts()));
        Assert.False(FollowUpTally.IsEmpty(one));

        Assert.True(FollowUpTally.Same(null, new FollowUpCounts()));
        Assert.True(FollowUpTally.Same(one, new FollowUpCounts { Upheld = 1 }));
        Assert.False(FollowUpTally.Same(null, one));
        Assert.False(FollowUpTally.Same(one, new FollowUpCounts { Dismissed = 1 }));
    }

    private static LoggedEvent Step(LoggedEventKind kind, bool onTime = false, bool hadOpen = false) =>
        new(0, kind, Day, Channel.Window, IpDomain.Patent, 0, onTime, 0, hadOpen);

    private static FollowUpCounts Counts(long each)
    {
        var counts = new FollowUpCounts();
        FollowUpTally.Add(counts, new FollowUpCounts
        {
            Opened = each,
            CalledBack = each,
            CalledBackOnTime = each,
            CallBackMissed = each,
            Rectified = each,
            RectifiedOnTime = each,
            RectifyMissed = each,
            Appealed = each,
            Upheld = each,
            Dismissed = each,
            Overdue = each,
        }, sign: 1);
        return counts;
    }
}
