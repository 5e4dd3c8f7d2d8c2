using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Evaluation.Contracts.Hosting;

namespace Evaluation.IntegrationTests.Infrastructure;

/// <summary>
/// A throw-away CA in a temporary folder, issuing leaf certificates as PEM files the way a Kubernetes TLS
/// Secret mounts them (also compiled into the unit tests).
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("evaluation-tls-").FullName;
    private readonly X509Certificate2 ca;
    private readonly string caPath;

    public TestCertificates(string caName = "Evaluation test CA")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={caName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        caPath = Path.Combine(folder, "ca.crt");
        File.WriteAllText(caPath, ca.ExportCertificatePem());
    }

    /// <summary>A certificate this CA issued to <paramref name="name"/>, usable as TLS server and client.</summary>
    public TlsSettings Issue(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var serial = RandomNumberGenerator.GetBytes(12);
        using var leaf = request.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(12), serial);
        var certificatePath = Path.Combine(folder, $"{name}.crt");
        var keyPath = Path.Combine(folder, $"{name}.key");
        File.WriteAllText(certificatePath, leaf.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return new TlsSettings { CertificatePath = certificatePath, KeyPath = keyPath, CaPath = caPath };
    }

    public void Dispose()
    {
        ca.Dispose();
        Directory.Delete(folder, recursive: true);
    }
}
