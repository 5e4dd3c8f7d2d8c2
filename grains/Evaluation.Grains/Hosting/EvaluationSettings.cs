using System.Net;
using Evaluation.Contracts.Hosting;
using Evaluation.Domain.Cases;
using Evaluation.Grains.Notifications;

namespace Evaluation.Grains.Hosting;

/// <summary>
/// The silo's configuration (section <c>Evaluation</c> of appsettings, or environment variables).
/// <see cref="Validate"/> turns a bad value into one clear sentence at start instead of a failure later.
/// </summary>
public sealed class EvaluationSettings
{
    /// <summary>No database: localhost clustering, memory storage and an in-process log. Nothing survives a restart.</summary>
    public bool InMemory { get; set; }

    /// <summary>
    /// Run as a Kubernetes pod (Evaluation:Kubernetes): the silo takes its name, cluster identity and
    /// advertised address from the pod, and listens on every address of it. Clustering stays on PostgreSQL.
    /// </summary>
    public bool Kubernetes { get; set; }

    /// <summary>Npgsql connection string; environment variable <c>EVAL_DB</c>.</summary>
    public string ConnectionString { get; set; } = DevelopmentDatabase.ConnectionString;

    /// <summary>
    /// The schema owner's connection string for the migrations at start (Evaluation:MigrationConnectionString);
    /// when unset they run as <see cref="ConnectionString"/>, which then needs DDL rights.
    /// </summary>
    public string? MigrationConnectionString { get; set; }

    /// <summary>Base64 of the 32-byte AES key that seals raters' contact details; environment variable <c>EVAL_CONTACT_KEY</c>.</summary>
    public string? ContactKey { get; set; }

    /// <summary>The name every new seal carries (<c>EVAL_CONTACT_KEY_ID</c>); change it with the key when rotating.</summary>
    public string ContactKeyId { get; set; } = "k1";

    /// <summary>Keys contacts may still be sealed with, by id, until they are sealed again (Evaluation:RetiredContactKeys:&lt;id&gt;).</summary>
    public Dictionary<string, string> RetiredContactKeys { get; set; } = [];

    /// <summary>Mutual TLS between silos and with API hosts (section <c>Evaluation:Tls</c>); required with <see cref="Kubernetes"/>.</summary>
    public TlsSettings Tls { get; set; } = new();

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// The address other silos and API hosts reach this silo at (Evaluation:AdvertisedAddress), written to the
    /// membership table; outside Kubernetes a host of its own needs it, since the default is 127.0.0.1.
    /// </summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>
    /// The address the silo and gateway ports listen on (Evaluation:BindAddress): the advertised address when
    /// unset, or e.g. 0.0.0.0 behind a NAT that forwards the advertised address to this host.
    /// </summary>
    public string? BindAddress { get; set; }

    /// <summary>
    /// Shifts this silo's clock (Evaluation:ClockOffset, e.g. 00:02:00 or -00:02:00): what the grains read as now
    /// (days, deadlines, measure windows). For drills of a host whose clock is wrong; zero in production.
    /// </summary>
    public TimeSpan ClockOffset { get; set; }

    /// <summary>How often detection runs over every institution (Evaluation:DetectionPeriod, e.g. 00:01:00).</summary>
    public TimeSpan DetectionPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the detection model is retrained on schedule (Evaluation:DetectionRetrainPeriod).</summary>
    public TimeSpan DetectionRetrainPeriod { get; set; } = TimeSpan.FromHours(24);

    public string ClusterId { get; set; } = "evaluation";

    public string ServiceId { get; set; } = "evaluation";

    /// <summary>Deadlines and watch periods of audits (section <c>Evaluation:Cases</c>).</summary>
    public CaseSettings Cases { get; set; } = new();

    /// <summary>Webhook and e-mail delivery (section <c>Evaluation:Notifications</c>).</summary>
    public NotificationSettings Notifications { get; set; } = new();

    /// <summary>The SMTP relay for e-mail notifications (section <c>Evaluation:Smtp</c>); without a host no mail is sent.</summary>
    public SmtpSettings Smtp { get; set; } = new();

    public byte[] ContactKeyBytes() => KeyBytes(ContactKey);

    public IReadOnlyDictionary<string, byte[]> RetiredContactKeyBytes() => RetiredContactKeys.ToDictionary(k => k.Key, k => KeyBytes(k.Value));

    private static byte[] KeyBytes(string? base64)
    {
        try
        {
            return Convert.FromBase64String(base64 ?? "");
        }
        catch (FormatException)
        {
            return [];
        }
    }

    private static readonly TimeSpan MaxClockOffset = TimeSpan.FromDays(1);

    /// <summary>Where the silo is reached and where it listens: loopback unless configured.</summary>
    public (IPAddress Advertised, IPAddress Bind) Addresses()
    {
        var advertised = ParsedAddress(AdvertisedAddress) ?? ParsedAddress(BindAddress) ?? IPAddress.Loopback;
        return (advertised, ParsedAddress(BindAddress) ?? advertised);
    }

    // IPAddress.TryParse also takes inet_aton's short forms ("10.211.0" is 10.211.0.0), which are typos here.
    private static IPAddress? ParsedAddress(string? text) =>
        IPAddress.TryParse(text, out var address) && (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 || text.Count(c => c == '.') == 3)
            ? address
            : null;

    private IEnumerable<string> AddressProblems()
    {
        if (AdvertisedAddress is null && BindAddress is null)
        {
            yield break;
        }

        if (Kubernetes || InMemory)
        {
            yield return "Evaluation:AdvertisedAddress and Evaluation:BindAddress are for silos on hosts of their own: in Kubernetes mode the pod's IP is advertised, and --in-memory runs on 127.0.0.1 only.";
            yield break;
        }

        var advertised = ParsedAddress(AdvertisedAddress);
        if (AdvertisedAddress is not null && advertised is null)
        {
            yield return $"Evaluation:AdvertisedAddress '{AdvertisedAddress}' is not an IP address; give the address other silos and API hosts reach this silo at, e.g. 10.0.0.5.";
        }
        else if (advertised is not null && IsAny(advertised))
        {
            yield return "Evaluation:AdvertisedAddress cannot be 0.0.0.0 or ::, which no other host can reach; give this host's own address.";
        }

        var bind = ParsedAddress(BindAddress);
        if (BindAddress is not null && bind is null)
        {
            yield return $"Evaluation:BindAddress '{BindAddress}' is not an IP address; give one of this host's addresses, or 0.0.0.0 for all of them.";
        }
        else if (bind is not null && AdvertisedAddress is null && IsAny(bind))
        {
            yield return "Evaluation:BindAddress 0.0.0.0 (or ::) needs Evaluation:AdvertisedAddress: the membership table must name an address other hosts can reach.";
        }
    }

    private static bool IsAny(IPAddress address) => address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (ContactKeyBytes().Length != 32)
        {
            problems.Add("EVAL_CONTACT_KEY (Evaluation:ContactKey) must be the base64 of 32 random bytes, e.g. `openssl rand -base64 32`; ops/run creates one for you.");
        }

        if (ContactKeyId.Length is 0 or > 32 || !ContactKeyId.All(char.IsAsciiLetterOrDigit) || RetiredContactKeys.ContainsKey(ContactKeyId))
        {
            problems.Add("EVAL_CONTACT_KEY_ID (Evaluation:ContactKeyId) must be 1–32 ASCII letters or digits, and not the id of a retired key.");
        }

        if (RetiredContactKeyBytes().Any(k => k.Value.Length != 32))
        {
            problems.Add("Every Evaluation:RetiredContactKeys:<id> must be the base64 of 32 bytes (the key that id named before it was rotated).");
        }

        if (!InMemory && string.IsNullOrWhiteSpace(ConnectionString))
        {
            problems.Add("EVAL_DB (Evaluation:ConnectionString) must be an Npgsql connection string, or start with --in-memory.");
        }

        if (MigrationConnectionString is not null && (InMemory || string.IsNullOrWhiteSpace(MigrationConnectionString)))
        {
            problems.Add("Evaluation:MigrationConnectionString must be an Npgsql connection string of the schema owner, and is not used with --in-memory.");
        }

        if (Kubernetes && InMemory)
        {
            problems.Add("Evaluation:Kubernetes cannot be combined with --in-memory (Evaluation:InMemory): the pods of a cluster find each other through the PostgreSQL membership table, which in-memory mode does not have.");
        }

        if (Kubernetes && !Tls.Enabled)
        {
            problems.Add("Evaluation:Kubernetes needs Evaluation:Tls (CertificatePath, KeyPath, CaPath): without it any pod that reaches ports 11111/30000 could join the cluster or call grains. Mount the cluster's TLS Secret as ops/kubernetes/silo.yaml does.");
        }

        problems.AddRange(Tls.Validate());
        if (SiloPort is < 1 or > 65535 || GatewayPort is < 1 or > 65535 || SiloPort == GatewayPort)
        {
            problems.Add("Evaluation:SiloPort and Evaluation:GatewayPort must be two different TCP ports.");
        }

        problems.AddRange(AddressProblems());
        if (ClockOffset.Duration() > MaxClockOffset)
        {
            problems.Add("Evaluation:ClockOffset must be within a day either way (it models a host whose clock is wrong; leave it unset in production).");
        }

        problems.AddRange(Cases.Validate());
        problems.AddRange(Notifications.Validate());
        problems.AddRange(Smtp.Validate());
        if (DetectionPeriod < TimeSpan.FromSeconds(1) || DetectionRetrainPeriod < TimeSpan.FromMinutes(1))
        {
            problems.Add("Evaluation:DetectionPeriod must be at least 1 second and Evaluation:DetectionRetrainPeriod at least 1 minute.");
        }

        return problems;
    }
}
