using Evaluation.Domain.Reports;
using Xunit;

namespace Evaluation.Domain.Tests.Reports;

public sealed class ReportMonthTests
{
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    [Fact]
    public void A_month_runs_from_its_first_to_the_next_months_first_midnight_in_Shanghai()
    {
        Assert.True(ReportMonth.TryParse("2026-12", out var december));
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, Shanghai), december.From);
        Assert.Equal(new DateTimeOffset(2027, 1, 1, 0, 0, 0, Shanghai), december.Cut);
        Assert.Equal(new DateOnly(2026, 12, 31), december.LastDay);
        Assert.Equal("2026-12", december.Name);

        // 29 February of a leap year is the month's last day.
        Assert.True(ReportMonth.TryParse("2028-02", out var february));
        Assert.Equal(new DateOnly(2028, 2, 29), february.LastDay);
    }

    [Theory]
    [InlineData("2026-13")]
    [InlineData("2026-00")]
    [InlineData("1999-12")]
    [InlineData("2026-1")]
    [InlineData("26-10")]
    [InlineData("2026/10")]
    [InlineData("2026-10-01")]
    [InlineData("")]
    [InlineData(null)]
    public void Anything_but_yyyy_MM_is_not_a_month(string? text) => Assert.False(ReportMonth.TryParse(text, out _));

    [Theory]
    [InlineData("2000-01", 2000, 1)]
    [InlineData("2026-12", 2026, 12)]
    public void The_first_month_of_2000_and_every_month_of_a_year_are_months(string text, int year, int number)
    {
        Assert.True(ReportMonth.TryParse(text, out var month));
        Assert.Equal(new ReportMonth(year, number), month);
    }

    [Fact]
    public void A_report_is_final_only_once_the_month_has_ended_and_settled()
    {
        Assert.True(ReportMonth.TryParse("2026-10", out var october));
        Assert.False(october.IsFinal(october.Cut.AddSeconds(-1)));
        Assert.False(october.IsFinal(october.Cut + ReportMonth.Settle - TimeSpan.FromSeconds(1)));
        Assert.True(october.IsFinal(october.Cut + ReportMonth.Settle));
    }
}
