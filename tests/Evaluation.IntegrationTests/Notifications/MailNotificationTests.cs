using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Evaluation.ClientApi.Security;
using Evaluation.Contracts.Notifications;
using Evaluation.Grains.Registry;
using Evaluation.IntegrationTests.Api;
using Evaluation.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using Xunit;

namespace Evaluation.IntegrationTests.Notifications;

/// <summary>
/// E-mail through a real SMTP server on loopback (aiosmtpd): an escalated audit is mailed at once to the supervisor
/// and to the officer of its city only, and each person's digest holds the events of their scope and no other.
/// </summary>
public sealed class MailNotificationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Escalations_are_mailed_at_once_and_digests_hold_each_persons_scope()
    {
        await using var smtp = await SmtpReceiver.StartAsync();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.FromHours(8)));
        var settings = new Dictionary<string, string>(Subscriptions.FastDelivery)
        {
            ["Evaluation:Smtp:Host"] = "127.0.0.1",
            ["Evaluation:Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Evaluation:Smtp:Security"] = "none",
            ["Evaluation:Smtp:From"] = "好差评 <evaluation@gdipa.example>",
            ["Evaluation:Notifications:DigestPeriod"] = "00:00:04",
        };
        await using var system = new RunningSystem { CaseTime = new CaseTime(clock, TimeSpan.FromSeconds(1)), SiloSettings = settings };
        await system.InitializeAsync();
        var shenzhen = ShippedRegistry.Sample.Institutions.First(i => i.CityCode == "440300");
        var guangzhou = ShippedRegistry.Sample.Institutions.First(i => i.CityCode == "440100");
        using var supervisor = AuditLifecycleTests.Client(system, await system.TokenAsync(Roles.Supervisor, name: "sup-mail"));
        using var szOfficer = AuditLifecycleTests.Client(system, await system.TokenAsync(Roles.CityOfficer, "440300", name: "off-sz"));
        using var gzOfficer = AuditLifecycleTests.Client(system, await system.TokenAsync(Roles.CityOfficer, "440100", name: "off-gz"));
        var audits = new[] { EventTypes.AuditOpened, EventTypes.AuditEscalated };
        await Subscriptions.SubscribeAsync(supervisor, new { email = "sup@gdipa.example", events = audits });
        await Subscriptions.SubscribeAsync(szOfficer, new { email = "sz@szipa.example", events = audits });
        await Subscriptions.SubscribeAsync(gzOfficer, new { email = "gz@gzipa.example", events = audits });

        var szAudit = await OpenAsync(supervisor, shenzhen.Id);
        var gzAudit = await OpenAsync(supervisor, guangzhou.Id);
        clock.Advance(TimeSpan.FromDays(22));

        // Immediate: one escalation mail per audit to the supervisor, and to the officer of that audit's city only.
        await StaffWork.EventuallyAsync(() => Task.FromResult(Escalations(smtp).Count >= 4), "four escalation mails");
        var escalations = Escalations(smtp);
        Assert.Equal(4, escalations.Count);
        Assert.Equal(2, escalations.Count(m => m.To.SequenceEqual(["sup@gdipa.example"])));
        Assert.Single(escalations, m => m.To.SequenceEqual(["sz@szipa.example"]) && (m.Message.Subject ?? "").Contains(szAudit, StringComparison.Ordinal));
        Assert.Single(escalations, m => m.To.SequenceEqual(["gz@gzipa.example"]) && (m.Message.Subject ?? "").Contains(gzAudit, StringComparison.Ordinal));
        var mail = escalations.First(m => m.To[0] == "sz@szipa.example").Message;
        Assert.Equal("evaluation@gdipa.example", ((MailboxAddress)mail.From[0]).Address);
        Assert.Contains("督查逾期升级 / Audit escalated", mail.Subject ?? "", StringComparison.Ordinal);
        Assert.Contains("地市 / City: 440300", mail.TextBody ?? "", StringComparison.Ordinal);

        // Digests: each person's holds both steps of the audits in their scope, and never another city's.
        await StaffWork.EventuallyAsync(() => Task.FromResult(
            DigestText(smtp, "sup@gdipa.example") is var all && Covers(all, szAudit) && Covers(all, gzAudit)
            && Covers(DigestText(smtp, "sz@szipa.example"), szAudit) && Covers(DigestText(smtp, "gz@gzipa.example"), gzAudit)), "the digests");
        Assert.DoesNotContain(gzAudit, DigestText(smtp, "sz@szipa.example"), StringComparison.Ordinal);
        Assert.DoesNotContain(szAudit, DigestText(smtp, "gz@gzipa.example"), StringComparison.Ordinal);
        Assert.All(Digests(smtp), m => Assert.Single(m.To));
        Assert.Contains("地市 / city 440300", Digests(smtp).First(m => m.To[0] == "sz@szipa.example").Message.Subject ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_email_subscription_without_a_relay_is_refused_naming_the_field()
    {
        await using var system = new RunningSystem();
        await system.InitializeAsync();
        using var supervisor = AuditLifecycleTests.Client(system, await system.TokenAsync(Roles.Supervisor));
        using var response = await supervisor.PostAsJsonAsync("/api/v1/subscriptions", new { email = "sup@gdipa.example", events = new[] { "audit.escalated" } }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.Equal("email", problem!["errors"]![0]!["field"]!.GetValue<string>());
    }

    private static async Task<string> OpenAsync(HttpClient supervisor, string institutionId) =>
        (await AuditLifecycleTests.Send(supervisor, "/api/v1/audits", new { institutionId, reason = "抽查" }, HttpStatusCode.Created))["id"]!.GetValue<string>();

    private static List<(IReadOnlyList<string> To, MimeMessage Message)> Escalations(SmtpReceiver smtp) =>
        [.. smtp.Messages().Where(m => (m.Message.Subject ?? "").Contains("Audit escalated", StringComparison.Ordinal))];

    private static List<(IReadOnlyList<string> To, MimeMessage Message)> Digests(SmtpReceiver smtp) =>
        [.. smtp.Messages().Where(m => (m.Message.Subject ?? "").Contains("Daily digest", StringComparison.Ordinal))];

    private static string DigestText(SmtpReceiver smtp, string to) =>
        string.Join("\n", Digests(smtp).Where(m => m.To.Contains(to)).Select(m => m.Message.TextBody ?? ""));

    /// <summary>The digest lists the audit's opening and its escalation.</summary>
    private static bool Covers(string digest, string auditId) =>
        digest.Split('\n').Count(line => line.Contains(auditId, StringComparison.Ordinal)
            && (line.Contains("Audit opened", StringComparison.Ordinal) || line.Contains("Audit escalated", StringComparison.Ordinal))) == 2;
}
