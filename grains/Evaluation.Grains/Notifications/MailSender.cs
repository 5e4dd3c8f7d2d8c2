using System.Diagnostics;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Evaluation.Grains.Notifications;

/// <summary>Sends mail through the configured SMTP relay with MailKit, one connection per mail (mails are rare).</summary>
public sealed class MailSender(SmtpSettings settings, NotificationSettings notifications)
{
    public async Task<AttemptResult> SendAsync(string to, MailText mail, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        if (!settings.Enabled)
        {
            return new AttemptResult(false, null, "no SMTP relay is configured (Evaluation:Smtp:Host)", 0);
        }

        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(settings.From));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = mail.Subject;
        message.Body = new TextPart("plain") { Text = mail.Body };
        try
        {
            using var client = new SmtpClient { Timeout = (int)notifications.AttemptTimeout.TotalMilliseconds };
            await client.ConnectAsync(settings.Host!, settings.Port, Security(settings.Security), ct);
            if (settings.User is not null)
            {
                await client.AuthenticateAsync(settings.User, settings.Password ?? "", ct);
            }

            await client.SendAsync(message, ct);
            await client.DisconnectAsync(true, ct);
            return new AttemptResult(true, 250, null, Elapsed(started));
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            var status = ex is SmtpCommandException command ? (int)command.StatusCode : (int?)null;
            var text = $"{ex.GetType().Name}: {ex.Message}";
            return new AttemptResult(false, status, text.Length > 300 ? text[..300] : text, Elapsed(started));
        }
    }

    private static SecureSocketOptions Security(string name) => name switch
    {
        "none" => SecureSocketOptions.None,
        "starttls" => SecureSocketOptions.StartTls,
        "ssl" => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.Auto,
    };

    private static int Elapsed(long started) => (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
}
