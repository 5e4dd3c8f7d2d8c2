using Evaluation.Contracts.Cases;
using Evaluation.Contracts.Reports;
using Evaluation.Domain.Reports;
using Xunit;

namespace Evaluation.Domain.Tests.Reports;

public sealed class AuditMonthTests
{
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    private static readonly ReportMonth October = new(2026, 10);

    [Fact]
    public void Counts_what_the_history_wrote_in_the_month_and_nothing_after_its_end()
    {
        var audit = Case(
            (AuditStep.Opened, AuditState.Opened, Day(9, 5)),
            (AuditStep.Analysis, AuditState.CityAnalysing, Day(10, 6)),
            (AuditStep.Escalation, AuditState.CityAnalysing, Day(10, 25)),
            (AuditStep.Rectification, AuditState.Rectifying, Day(11, 2)),
            (AuditStep.Submission, AuditState.Submitted, Day(11, 3)),
            (AuditStep.Verification, AuditState.Verified, Day(11, 4)));

        // Opened in September; held by the city and escalated at October's end; verified only in November.
        Assert.Equal(new AuditCounts(0, 0, 1), AuditMonth.Of(audit, October));
        Assert.Equal(new AuditCounts(1, 0, 0), AuditMonth.Of(audit, new ReportMonth(2026, 9)));
        Assert.Equal(new AuditCounts(0, 1, 0), AuditMonth.Of(audit, new ReportMonth(2026, 11)));
    }

    [Fact]
    public void A_case_submitted_to_the_province_is_not_overdue_and_a_relapse_is_a_new_opening()
    {
        var audit = Case(
            (AuditStep.Opened, AuditState.Opened, Day(10, 1)),
            (AuditStep.Escalation, AuditState.Opened, Day(10, 20)),
            (AuditStep.Analysis, AuditState.CityAnalysing, Day(10, 21)),
            (AuditStep.Rectification, AuditState.Rectifying, Day(10, 22)),
            (AuditStep.Submission, AuditState.Submitted, Day(10, 23)),
            (AuditStep.Verification, AuditState.Verified, Day(10, 24)),
            (AuditStep.Relapse, AuditState.Opened, Day(10, 28)));

        // Reopened after its escalation: the escalation belonged to the first round, so it is not overdue now.
        Assert.Equal(new AuditCounts(2, 1, 0), AuditMonth.Of(audit, October));
    }

    [Fact]
    public void An_escalated_case_stays_overdue_while_the_city_goes_on_working_on_it()
    {
        var audit = Case(
            (AuditStep.Opened, AuditState.Opened, Day(10, 1)),
            (AuditStep.Escalation, AuditState.Opened, Day(10, 20)),
            (AuditStep.Analysis, AuditState.CityAnalysing, Day(10, 21)),
            (AuditStep.Rectification, AuditState.Rectifying, Day(10, 22)));

        Assert.Equal(new AuditCounts(1, 0, 1), AuditMonth.Of(audit, October));
    }

    [Fact]
    public void Counts_add_up_field_by_field()
    {
        Assert.Equal(new AuditCounts(5, 7, 9), AuditMonth.Sum([new(1, 2, 3), AuditMonth.None, new(4, 5, 6)]));
        Assert.Equal(AuditMonth.None, AuditMonth.Sum([]));
    }

    [Fact]
    public void A_step_at_the_cut_belongs_to_the_next_month()
    {
        var audit = Case((AuditStep.Opened, AuditState.Opened, October.Cut));
        Assert.Equal(AuditMonth.None, AuditMonth.Of(audit, October));
        Assert.Equal(new AuditCounts(1, 0, 0), AuditMonth.Of(audit, new ReportMonth(2026, 11)));
    }

    private static DateTimeOffset Day(int month, int day) => new(2026, month, day, 10, 0, 0, Shanghai);

    private static AuditCase Case(params (AuditStep Step, AuditState To, DateTimeOffset At)[] steps)
    {
        var history = steps.Select((s, i) => new AuditEntry(i + 1, s.Step, null, s.To, "someone", "role", s.At, null, [])).ToList();
        return new AuditCase("aud-1", "gd-440100-cc-001", "440100", null, "reason", history[^1].To, steps[0].At,
            steps[0].At.AddDays(15), false, null, null, 0, history);
    }
}
