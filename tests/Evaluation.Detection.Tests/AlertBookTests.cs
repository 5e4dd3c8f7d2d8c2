using Evaluation.Contracts.Detection;
using Evaluation.Detection;
using Xunit;

namespace Evaluation.Detection.Tests;

public sealed class AlertBookTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 30, 9, 0, 0, TimeSpan.FromHours(8));
    private static readonly InstitutionFeatures Row = new Traffic().Features(Traffic.PeerGroup(1)[0]);

    private static Signal Raise(AlertSeverity severity = AlertSeverity.Medium) =>
        new(Row, AlertReason.LowSatisfaction, true, true, severity, 4, [Explanations.Line(Measure.BadRate, FeatureWindow.Days30, 0.2, 0.05)]);

    private static Signal HoldOnly() => Raise() with { Raise = false };

    [Fact]
    public void One_open_alert_per_institution_and_reason_however_often_it_is_raised()
    {
        var book = new AlertBook(new AlertBookState(), DetectionSettings.Default);

        var first = book.Apply([Raise()], Now, ModelStamp.RulesOnly);
        var second = book.Apply([Raise(AlertSeverity.High)], Now.AddMinutes(1), ModelStamp.RulesOnly);

        var alert = Assert.Single(first.Raised);
        Assert.Empty(second.Raised);
        var open = Assert.Single(book.Open);
        Assert.Equal(alert.Id, open.Id);
        Assert.Equal(AlertSeverity.High, open.Severity);
        Assert.Equal(Now, open.RaisedAt);
        Assert.Equal(ModelStamp.RulesOnly.Version, open.ModelVersion);
    }

    [Fact]
    public void An_alert_resolves_only_after_several_quiet_runs_and_a_hold_keeps_it_open()
    {
        var settings = DetectionSettings.Default;
        var book = new AlertBook(new AlertBookState(), settings);
        book.Apply([Raise()], Now, ModelStamp.RulesOnly);

        for (var run = 1; run < settings.ClearRuns; run++)
        {
            Assert.Empty(book.Apply([], Now.AddMinutes(run), ModelStamp.RulesOnly).Resolved);
        }

        // Back near the line: the hold condition resets the count instead of letting the alert flap.
        book.Apply([HoldOnly()], Now.AddMinutes(10), ModelStamp.RulesOnly);
        for (var run = 1; run < settings.ClearRuns; run++)
        {
            Assert.Empty(book.Apply([], Now.AddMinutes(10 + run), ModelStamp.RulesOnly).Resolved);
        }

        var resolved = Assert.Single(book.Apply([], Now.AddHours(1), ModelStamp.RulesOnly).Resolved);
        Assert.Equal(AlertState.Resolved, resolved.State);
        Assert.Equal(Now.AddHours(1), resolved.ResolvedAt);
        Assert.Empty(book.Open);

        var again = Assert.Single(book.Apply([Raise()], Now.AddHours(2), ModelStamp.RulesOnly).Raised);
        Assert.True(again.Id > resolved.Id);
    }

    [Fact]
    public void A_hold_alone_never_opens_an_alert()
    {
        var book = new AlertBook(new AlertBookState(), DetectionSettings.Default);

        Assert.Empty(book.Apply([HoldOnly()], Now, ModelStamp.RulesOnly).Raised);
        Assert.Empty(book.Open);
    }

    [Fact]
    public void The_list_filters_and_pages()
    {
        var book = new AlertBook(new AlertBookState(), DetectionSettings.Default);
        book.Apply([Raise(), Raise() with { Reason = AlertReason.SlowService, Severity = AlertSeverity.Low }], Now, ModelStamp.RulesOnly);

        var slow = book.Query(new AlertQuery(Kind: AlertReason.SlowService), 100);
        var page2 = book.Query(new AlertQuery(State: AlertState.Open, City: Row.Institution.CityCode, PageSize: 1, Page: 2), 100);
        var none = book.Query(new AlertQuery(City: "449999"), 100);

        Assert.Equal(AlertReason.SlowService, Assert.Single(slow.Items).Reason);
        Assert.Equal(2, page2.Total);
        Assert.Equal(AlertSeverity.Low, Assert.Single(page2.Items).Severity);
        Assert.Equal(0, none.Total);
    }
}
