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

    [Fact]
    public void A_dismissal_is_recorded_and_holds_until_the_institution_recovers()
    {
        var settings = DetectionSettings.Default;
        var book = new AlertBook(new AlertBookState(), settings);
        var alert = Assert.Single(book.Apply([Raise()], Now, ModelStamp.RulesOnly).Raised);

        var outcome = book.Dismiss(alert.Id, "holiday backlog, already known", "sup-li", Now.AddMinutes(5));

        Assert.Null(outcome.Refusal);
        var dismissed = book.Query(new AlertQuery(State: AlertState.Dismissed), 100).Items.Single();
        Assert.Equal(new AlertTriage("sup-li", Now.AddMinutes(5), "holiday backlog, already known", null), dismissed.Triage);
        Assert.Empty(book.Open);

        // Still underperforming: the dismissed alert stands for it, so nothing new is raised.
        Assert.Empty(book.Apply([Raise(AlertSeverity.High)], Now.AddMinutes(10), ModelStamp.RulesOnly).Raised);
        Assert.Empty(book.Open);

        for (var run = 1; run < settings.ClearRuns; run++)
        {
            Assert.Empty(book.Apply([], Now.AddMinutes(10 + run), ModelStamp.RulesOnly).Resolved);
        }

        var recovered = Assert.Single(book.Apply([], Now.AddHours(1), ModelStamp.RulesOnly).Resolved);
        Assert.Equal(alert.Id, recovered.Id);
        Assert.Equal("sup-li", recovered.Triage!.Actor);

        // Recovered, then bad again: normal rules, a new open alert.
        var relapse = Assert.Single(book.Apply([Raise()], Now.AddHours(2), ModelStamp.RulesOnly).Raised);
        Assert.True(relapse.Id > alert.Id);
        Assert.Equal(AlertState.Open, relapse.State);
    }

    [Fact]
    public void An_audit_opened_from_an_alert_names_the_case_and_holds_like_a_dismissal()
    {
        var book = new AlertBook(new AlertBookState(), DetectionSettings.Default);
        var alert = Assert.Single(book.Apply([Raise()], Now, ModelStamp.RulesOnly).Raised);

        var outcome = book.OpenAudit(alert.Id, Row.Institution.Id, "aud-1", "差评率 far above peers", "sup-li", Now);

        Assert.Equal(AlertState.AuditOpened, outcome.Alert!.State);
        Assert.Equal("aud-1", outcome.Alert.Triage!.CaseId);
        Assert.Empty(book.Apply([Raise()], Now.AddMinutes(1), ModelStamp.RulesOnly).Raised);
    }

    [Fact]
    public void A_claim_is_released_only_for_the_case_that_made_it()
    {
        var book = new AlertBook(new AlertBookState(), DetectionSettings.Default);
        var alert = Assert.Single(book.Apply([Raise()], Now, ModelStamp.RulesOnly).Raised);
        book.OpenAudit(alert.Id, Row.Institution.Id, "aud-1", "reason", "sup-li", Now);

        Assert.False(book.ReleaseAudit(alert.Id, "aud-2"));
        Assert.Equal(AlertState.AuditOpened, book.Query(new AlertQuery(), 100).Items.Single().State);
        Assert.True(book.ReleaseAudit(alert.Id, "aud-1"));
        var open = Assert.Single(book.Open);
        Assert.Null(open.Triage);
    }

    [Fact]
    public void Triage_is_refused_naming_the_field_and_rule()
    {
        var book = new AlertBook(new AlertBookState(), DetectionSettings.Default);
        var alert = Assert.Single(book.Apply([Raise()], Now, ModelStamp.RulesOnly).Raised);

        AssertRefused(book.Dismiss(alert.Id + 1, "reason", "sup-li", Now), TriageProblem.NotFound, "alertId");
        AssertRefused(book.Dismiss(alert.Id, " ", "sup-li", Now), TriageProblem.ReasonMissing, "reason");
        AssertRefused(book.Dismiss(alert.Id, new string('x', 4001), "sup-li", Now), TriageProblem.ReasonTooLong, "reason");
        AssertRefused(book.OpenAudit(alert.Id, "someone-else", "aud-1", "reason", "sup-li", Now), TriageProblem.OtherInstitution, "alertId");
        Assert.Single(book.Open);

        book.Dismiss(alert.Id, "known", "sup-li", Now);
        AssertRefused(book.OpenAudit(alert.Id, Row.Institution.Id, "aud-1", "reason", "sup-li", Now), TriageProblem.NotOpen, "alertId");
        AssertRefused(book.Dismiss(alert.Id, "again", "sup-li", Now), TriageProblem.NotOpen, "alertId");
    }

    private static void AssertRefused(TriageOutcome outcome, TriageProblem problem, string field)
    {
        Assert.Null(outcome.Alert);
        Assert.Equal(problem, outcome.Refusal!.Problem);
        Assert.Equal(field, outcome.Refusal.Field);
    }
}
