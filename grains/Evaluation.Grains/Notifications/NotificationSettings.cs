namespace Evaluation.Grains.Notifications;

/// <summary>How events are delivered (section <c>Evaluation:Notifications</c>).</summary>
public sealed class NotificationSettings
{
    /// <summary>A delivery not delivered this long after it was created (or redelivered) is given up: dead-lettered.</summary>
    public TimeSpan DeadLetterAfter { get; set; } = TimeSpan.FromDays(3);

    /// <summary>How often each silo's worker looks for due deliveries.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a silo holds a subscription while it delivers; a dead silo's lease lapses after this.</summary>
    public TimeSpan LeaseTime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>One HTTP attempt's limit; a slow receiver costs at most this (times the in-call attempts) per delivery.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Quick retries inside one delivery attempt (Polly, exponential with jitter) before it is rescheduled.</summary>
    public int InCallRetries { get; set; } = 2;

    /// <summary>The first delay of the persisted retry schedule; it doubles per attempt up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How often an e-mail subscriber gets the digest of their events.</summary>
    public TimeSpan DigestPeriod { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Subscriptions one silo delivers to at once.</summary>
    public int Parallelism { get; set; } = 4;

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (DeadLetterAfter < TimeSpan.FromMinutes(1) || PollInterval < TimeSpan.FromMilliseconds(50) || PollInterval > TimeSpan.FromMinutes(5))
        {
            problems.Add("Evaluation:Notifications:DeadLetterAfter must be at least a minute and PollInterval between 50 ms and 5 minutes.");
        }

        if (AttemptTimeout < TimeSpan.FromMilliseconds(100) || InCallRetries is < 0 or > 5
            || LeaseTime < (AttemptTimeout + TimeSpan.FromSeconds(1)) * (InCallRetries + 1) * 2)
        {
            problems.Add("Evaluation:Notifications:AttemptTimeout must be at least 100 ms, InCallRetries 0–5, and LeaseTime at least twice what one delivery may take ((AttemptTimeout + 1 s) × (InCallRetries + 1)).");
        }

        if (FirstRetryDelay < TimeSpan.FromMilliseconds(100) || MaxRetryDelay < FirstRetryDelay || DigestPeriod < TimeSpan.FromSeconds(1) || Parallelism is < 1 or > 64)
        {
            problems.Add("Evaluation:Notifications:FirstRetryDelay must be at least 100 ms and at most MaxRetryDelay, DigestPeriod at least 1 second, Parallelism 1–64.");
        }

        return problems;
    }
}

/// <summary>The SMTP relay e-mail goes through (section <c>Evaluation:Smtp</c>); no host, no e-mail.</summary>
public sealed class SmtpSettings
{
    public string? Host { get; set; }

    public int Port { get; set; } = 25;

    /// <summary><c>none</c>, <c>starttls</c>, <c>ssl</c> or <c>auto</c> (STARTTLS when the relay offers it).</summary>
    public string Security { get; set; } = "auto";

    public string? User { get; set; }

    public string? Password { get; set; }

    public string From { get; set; } = "好差评 Evaluation <evaluation@localhost>";

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Enabled && (Port is < 1 or > 65535 || Security is not ("none" or "starttls" or "ssl" or "auto") || !MimeKit.MailboxAddress.TryParse(From, out _)))
        {
            problems.Add("Evaluation:Smtp needs Port 1–65535, Security none|starttls|ssl|auto, and From an address such as 'Evaluation <evaluation@bureau.gov.cn>'.");
        }

        if (Enabled && (User is null) != (Password is null))
        {
            problems.Add("Evaluation:Smtp:User and Evaluation:Smtp:Password go together.");
        }

        return problems;
    }
}
