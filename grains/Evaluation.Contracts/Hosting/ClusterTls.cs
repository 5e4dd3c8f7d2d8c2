using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;

namespace Evaluation.Contracts.Hosting;

/// <summary>
/// Mutual TLS between silos, and between API hosts (Orleans clients) and silos (section <c>Evaluation:Tls</c>).
/// PEM files as a Kubernetes TLS Secret mounts them (tls.crt, tls.key, ca.crt). Silos and API hosts both
/// reference only the contracts, so the one wiring lives here.
/// </summary>
public sealed class TlsSettings
{
    /// <summary>This process's certificate (PEM); the chain to <see cref="CaPath"/> is what admits it.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The private key of <see cref="CertificatePath"/> (PEM).</summary>
    public string? KeyPath { get; set; }

    /// <summary>The cluster's own CA (PEM): a peer is admitted only with a certificate it issued.</summary>
    public string? CaPath { get; set; }

    public bool Enabled => CertificatePath is not null || KeyPath is not null || CaPath is not null;

    public IReadOnlyList<string> Validate()
    {
        if (!Enabled)
        {
            return [];
        }

        var problems = new List<string>();
        foreach (var (key, path) in new[] { ("CertificatePath", CertificatePath), ("KeyPath", KeyPath), ("CaPath", CaPath) })
        {
            if (string.IsNullOrWhiteSpace(path) || !File.Exists(path))
            {
                problems.Add($"Evaluation:Tls:{key} must name a readable PEM file ({(string.IsNullOrWhiteSpace(path) ? "not set" : $"'{path}' does not exist")}); "
                    + "Evaluation:Tls needs CertificatePath, KeyPath and CaPath together.");
            }
        }

        if (problems.Count == 0)
        {
            try
            {
                using var certificate = LoadCertificate();
                using var ca = LoadCa();
                if (!ChainsTo(certificate, ca))
                {
                    problems.Add($"The certificate in Evaluation:Tls:CertificatePath ({CertificatePath}) is not issued by the CA in Evaluation:Tls:CaPath ({CaPath}), or it has expired; peers would refuse it.");
                }
            }
            catch (System.Security.Cryptography.CryptographicException ex)
            {
                problems.Add($"Evaluation:Tls: the certificate, key or CA could not be read as PEM ({ex.Message}).");
            }
        }

        return problems;
    }

    public X509Certificate2 LoadCertificate()
    {
        using var pem = X509Certificate2.CreateFromPemFile(CertificatePath!, KeyPath!);
        // Through PKCS#12 so SslStream gets a key it can use on every platform.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    public X509Certificate2 LoadCa() => X509CertificateLoader.LoadCertificateFromFile(CaPath!);

    /// <summary>True when <paramref name="certificate"/> chains to <paramref name="ca"/> alone (not to the machine's roots).</summary>
    public static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate) && chain.ChainElements[^1].Certificate.Thumbprint == ca.Thumbprint;
    }

    /// <summary>Both directions require a certificate, and a peer's must chain to the cluster's CA.</summary>
    public void Configure(TlsOptions options, X509Certificate2 certificate)
    {
        var ca = LoadCa();
        options.LocalCertificate = certificate;
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.HandshakeTimeout = TimeSpan.FromSeconds(10);
        // Silos are reached by pod IP, which certificates do not name: the CA, not the host name, is the check.
        options.RemoteCertificateValidation = (peer, _, errors) =>
            !errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable) && ChainsTo(peer, ca);
    }
}

public static class ClusterTlsExtensions
{
    /// <summary>Mutual TLS on the silo-to-silo and gateway ports when <paramref name="tls"/> is configured.</summary>
    public static ISiloBuilder UseEvaluationTls(this ISiloBuilder silo, TlsSettings tls)
    {
        if (tls.Enabled)
        {
            var certificate = tls.LoadCertificate();
            silo.UseTls(certificate, options => tls.Configure(options, certificate));
        }

        return silo;
    }

    /// <summary>Mutual TLS to the silos' gateways when <paramref name="tls"/> is configured.</summary>
    public static IClientBuilder UseEvaluationTls(this IClientBuilder client, TlsSettings tls)
    {
        if (tls.Enabled)
        {
            var certificate = tls.LoadCertificate();
            client.UseTls(certificate, options => tls.Configure(options, certificate));
        }

        return client;
    }
}
