using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Orleans.Hosting.Kubernetes;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace Evaluation.UnitTests.Hosting;

/// <summary>
/// What the manifests in ops/kubernetes must agree on with the silo, the API host and Orleans' Kubernetes
/// hosting. No cluster runs these tests; they catch the mistakes that would only show once deployed.
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly string Root = RepositoryRoot();
    private static readonly string Folder = Path.Combine(Root, "ops", "kubernetes");
    private static readonly List<YamlMappingNode> Objects = [.. Manifests().SelectMany(Documents)];

    private static YamlMappingNode SiloDeployment => Object("Deployment", "evaluation-silo");

    private static YamlMappingNode ApiDeployment => Object("Deployment", "evaluation-api");

    [Fact]
    public void Every_object_has_an_API_version_and_lives_in_the_evaluation_namespace()
    {
        Assert.NotEmpty(Objects);
        foreach (var item in Objects.Where(o => Text(o, "kind") != "Namespace"))
        {
            Assert.NotEmpty(Text(item, "apiVersion"));
            Assert.Equal("evaluation", Text(item, "metadata", "namespace"));
        }
    }

    [Fact]
    public void The_kustomization_applies_every_manifest_but_the_secret_template()
    {
        var kustomization = Assert.Single(Documents(Path.Combine(Folder, "kustomization.yaml")));
        var listed = Items(kustomization, "resources").Select(Scalar).Order();

        Assert.Equal(Manifests().Select(Path.GetFileName).Where(name => name != "secret.template.yaml").Order(), listed);
    }

    [Fact]
    public void Silo_pods_carry_the_cluster_identity_that_silos_and_API_hosts_are_configured_with()
    {
        var labels = (YamlMappingNode)At(SiloDeployment, "spec", "template", "metadata", "labels");
        foreach (var (label, key) in new[] { (KubernetesHostingOptions.ServiceIdLabel, "ServiceId"), (KubernetesHostingOptions.ClusterIdLabel, "ClusterId") })
        {
            var value = Text(labels, label);
            Assert.Equal(Setting("silo", key), value);
            Assert.Equal(Setting("client-api", key), value);
        }
    }

    [Fact]
    public void Silo_pods_get_what_Kubernetes_hosting_reads_from_the_downward_API()
    {
        var container = Container(SiloDeployment);
        var env = Items(container, "env").Cast<YamlMappingNode>().ToDictionary(e => Text(e, "name"));

        Assert.Equal("true", Text(env["Evaluation__Kubernetes"], "value"));
        var fields = new Dictionary<string, string>
        {
            [KubernetesHostingOptions.PodNameEnvironmentVariable] = "metadata.name",
            [KubernetesHostingOptions.PodNamespaceEnvironmentVariable] = "metadata.namespace",
            [KubernetesHostingOptions.PodIPEnvironmentVariable] = "status.podIP",
            [KubernetesHostingOptions.ServiceIdEnvironmentVariable] = $"metadata.labels['{KubernetesHostingOptions.ServiceIdLabel}']",
            [KubernetesHostingOptions.ClusterIdEnvironmentVariable] = $"metadata.labels['{KubernetesHostingOptions.ClusterIdLabel}']",
        };
        foreach (var (variable, field) in fields)
        {
            Assert.True(env.ContainsKey(variable), $"{variable} is not set on the silo pods");
            Assert.Equal(field, Text(env[variable], "valueFrom", "fieldRef", "fieldPath"));
        }
    }

    [Fact]
    public void Silo_pods_expose_the_configured_ports_and_outwait_an_orderly_stop()
    {
        var ports = Items(Container(SiloDeployment), "ports").Cast<YamlMappingNode>()
            .ToDictionary(p => Text(p, "name"), p => Text(p, "containerPort"));
        Assert.Equal(Setting("silo", "SiloPort"), ports["silo"]);
        Assert.Equal(Setting("silo", "GatewayPort"), ports["gateway"]);

        // The kubelet kills the process when the grace period ends; the host gives up on its own before that.
        var grace = int.Parse(Text(SiloDeployment, "spec", "template", "spec", "terminationGracePeriodSeconds"), CultureInfo.InvariantCulture);
        Assert.True(TimeSpan.FromSeconds(grace) > new HostOptions().ShutdownTimeout, "the grace period must exceed the host's shutdown timeout");
    }

    [Fact]
    public void The_silos_service_account_may_do_what_Kubernetes_hosting_does()
    {
        var account = Text(SiloDeployment, "spec", "template", "spec", "serviceAccountName");
        var binding = Object("RoleBinding", account);
        var subject = (YamlMappingNode)Assert.Single(Items(binding, "subjects"));
        Assert.Equal(("ServiceAccount", account), (Text(subject, "kind"), Text(subject, "name")));
        Assert.Equal("Role", Text(binding, "roleRef", "kind"));

        var role = Object("Role", Text(binding, "roleRef", "name"));
        var pods = Items(role, "rules").Cast<YamlMappingNode>()
            .Where(rule => Items(rule, "apiGroups").Select(Scalar).Contains("") && Items(rule, "resources").Select(Scalar).Contains("pods"))
            .SelectMany(rule => Items(rule, "verbs").Select(Scalar))
            .ToHashSet();
        // Read its own pod and fix its labels, list and watch the cluster's pods, delete a dead silo's pod.
        Assert.Subset(pods, new HashSet<string> { "get", "patch", "list", "watch", "delete" });
    }

    [Fact]
    public void API_hosts_are_at_least_two_and_never_taken_for_silos()
    {
        Assert.True(int.Parse(Text(ApiDeployment, "spec", "replicas"), CultureInfo.InvariantCulture) >= 2);
        var labels = (YamlMappingNode)At(ApiDeployment, "spec", "template", "metadata", "labels");
        Assert.DoesNotContain(labels.Children.Keys.Select(Scalar), key => key.StartsWith("orleans/", StringComparison.Ordinal));

        var autoscaler = Object("HorizontalPodAutoscaler", "evaluation-api");
        Assert.Equal(("Deployment", "evaluation-api"), (Text(autoscaler, "spec", "scaleTargetRef", "kind"), Text(autoscaler, "spec", "scaleTargetRef", "name")));
        Assert.True(int.Parse(Text(autoscaler, "spec", "minReplicas"), CultureInfo.InvariantCulture) >= 2);
    }

    [Fact]
    public void Services_and_disruption_budgets_select_the_pods_they_are_for()
    {
        AssertSelects((YamlMappingNode)At(Object("Service", "evaluation-api"), "spec", "selector"), ApiDeployment);
        AssertSelects((YamlMappingNode)At(Object("PodDisruptionBudget", "evaluation-api"), "spec", "selector", "matchLabels"), ApiDeployment);
        AssertSelects((YamlMappingNode)At(Object("PodDisruptionBudget", "evaluation-silo"), "spec", "selector", "matchLabels"), SiloDeployment);
    }

    [Fact]
    public void Pods_read_only_their_own_secrets_and_the_template_holds_placeholders_only()
    {
        var template = Documents(Path.Combine(Folder, "secret.template.yaml")).ToDictionary(s => Text(s, "metadata", "name"));
        foreach (var secret in template.Values)
        {
            foreach (var (key, value) in ((YamlMappingNode)At(secret, "stringData")).Children)
            {
                var text = Scalar(value);
                Assert.True(text.Length == 0 || text.Contains("REPLACE-ME", StringComparison.Ordinal), $"{Scalar(key)} holds a value that is not a placeholder");
            }
        }

        Assert.Equal(["evaluation-migration", "evaluation-silo"], SecretsOf(SiloDeployment));
        Assert.Equal(["evaluation-api"], SecretsOf(ApiDeployment));
        Assert.All(SecretsOf(SiloDeployment).Concat(SecretsOf(ApiDeployment)), name => Assert.Contains(name, template.Keys));
    }

    [Fact]
    public void Database_connections_verify_the_server_against_a_mounted_CA_and_only_silos_hold_the_owner_role()
    {
        var template = Documents(Path.Combine(Folder, "secret.template.yaml")).ToDictionary(s => Text(s, "metadata", "name"));
        var strings = template.Values.SelectMany(s => ((YamlMappingNode)At(s, "stringData")).Children)
            .Where(e => Scalar(e.Key) is "EVAL_DB" or "Evaluation__MigrationConnectionString").ToList();
        Assert.Equal(3, strings.Count);
        Assert.All(strings, e => Assert.Contains("SSL Mode=VerifyFull;Root Certificate=/etc/evaluation/postgres/ca.crt", Scalar(e.Value), StringComparison.Ordinal));
        Assert.Contains("Evaluation__MigrationConnectionString", ((YamlMappingNode)At(template["evaluation-migration"], "stringData")).Children.Keys.Select(Scalar));

        foreach (var (deployment, tlsSecret) in new[] { (SiloDeployment, "evaluation-silo-tls"), (ApiDeployment, "evaluation-api-tls") })
        {
            Assert.Equal("/etc/evaluation/postgres", MountOf(deployment, "evaluation-postgres-ca"));
            Assert.Equal("/etc/evaluation/tls", MountOf(deployment, tlsSecret));
            var env = Items(Container(deployment), "env").Cast<YamlMappingNode>()
                .Where(e => e.Children.ContainsKey("value")).ToDictionary(e => Text(e, "name"), e => Text(e, "value"));
            Assert.Equal("/etc/evaluation/tls/tls.crt", env["Evaluation__Tls__CertificatePath"]);
            Assert.Equal("/etc/evaluation/tls/tls.key", env["Evaluation__Tls__KeyPath"]);
            Assert.Equal("/etc/evaluation/tls/ca.crt", env["Evaluation__Tls__CaPath"]);
        }
    }

    /// <summary>Where the container mounts the volume made from <paramref name="secret"/>.</summary>
    private static string MountOf(YamlMappingNode deployment, string secret)
    {
        var volume = Assert.Single(Items(deployment, "spec", "template", "spec", "volumes"), v => Text(v, "secret", "secretName") == secret);
        var mount = Assert.Single(Items(Container(deployment), "volumeMounts"), m => Text(m, "name") == Text(volume, "name"));
        return Text(mount, "mountPath");
    }

    [Fact]
    public void The_namespace_denies_all_traffic_that_no_policy_allows()
    {
        var deny = Object("NetworkPolicy", "default-deny");
        Assert.Empty(((YamlMappingNode)At(deny, "spec", "podSelector")).Children);
        Assert.Equal(["Egress", "Ingress"], Items(deny, "spec", "policyTypes").Select(Scalar).Order());
        Assert.False(((YamlMappingNode)At(deny, "spec")).Children.ContainsKey("ingress"));
        Assert.False(((YamlMappingNode)At(deny, "spec")).Children.ContainsKey("egress"));
    }

    [Fact]
    public void Silo_port_only_between_silos_gateway_only_from_API_hosts_HTTP_only_from_the_ingress_metrics_only_from_monitoring()
    {
        var silo = Object("NetworkPolicy", "evaluation-silo");
        var api = Object("NetworkPolicy", "evaluation-api");
        AssertSelects((YamlMappingNode)At(silo, "spec", "podSelector", "matchLabels"), SiloDeployment);
        AssertSelects((YamlMappingNode)At(api, "spec", "podSelector", "matchLabels"), ApiDeployment);

        Assert.Equal(["11111 from evaluation-silo", "30000 from evaluation-api", "9464 from namespace monitoring"], Rules(silo, "ingress", "from"));
        Assert.Equal(["8080 from namespace ingress-nginx", "9464 from namespace monitoring"], Rules(api, "ingress", "from"));
        Assert.Equal(["8080", "9464"], Items(Container(ApiDeployment), "ports").Select(p => Text(p, "containerPort")).Order());
    }

    [Fact]
    public void Pods_reach_out_only_to_PostgreSQL_DNS_and_their_peers()
    {
        Assert.Equal(
            ["11111 to evaluation-silo", "443 to anywhere", "53 to namespace kube-system", "5432 to ipBlock", "6443 to anywhere"],
            Rules(Object("NetworkPolicy", "evaluation-silo"), "egress", "to"));
        Assert.Equal(
            ["30000 to evaluation-silo", "53 to namespace kube-system", "5432 to ipBlock"],
            Rules(Object("NetworkPolicy", "evaluation-api"), "egress", "to"));
    }

    /// <summary>Each rule of a policy direction as "port from/to peer", distinct and in order.</summary>
    private static List<string> Rules(YamlMappingNode policy, string direction, string peers)
    {
        var rules = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var rule in Items(policy, "spec", direction).Cast<YamlMappingNode>())
        {
            var names = rule.Children.ContainsKey(peers) ? Items(rule, peers).Select(Peer).ToList() : ["anywhere"];
            foreach (var port in Items(rule, "ports"))
            {
                foreach (var name in names)
                {
                    rules.Add($"{Text(port, "port")} {peers} {name}");
                }
            }
        }

        return [.. rules];
    }

    private static string Peer(YamlNode peer)
    {
        var mapping = (YamlMappingNode)peer;
        if (mapping.Children.ContainsKey("podSelector"))
        {
            return Text(peer, "podSelector", "matchLabels", "app.kubernetes.io/name");
        }

        return mapping.Children.ContainsKey("namespaceSelector")
            ? "namespace " + Text(peer, "namespaceSelector", "matchLabels", "kubernetes.io/metadata.name")
            : "ipBlock";
    }

    private static void AssertSelects(YamlMappingNode selector, YamlMappingNode deployment)
    {
        var labels = (YamlMappingNode)At(deployment, "spec", "template", "metadata", "labels");
        Assert.NotEmpty(selector.Children);
        foreach (var (key, value) in selector.Children)
        {
            Assert.Equal(Scalar(value), Text(labels, Scalar(key)));
        }
    }

    private static List<string> SecretsOf(YamlMappingNode deployment) =>
        [.. Items(Container(deployment), "envFrom").Select(source => Text(source, "secretRef", "name")).Order()];

    private static YamlMappingNode Container(YamlMappingNode deployment) =>
        (YamlMappingNode)Assert.Single(Items(deployment, "spec", "template", "spec", "containers"));

    private static YamlMappingNode Object(string kind, string name) =>
        Assert.Single(Objects, o => Text(o, "kind") == kind && Text(o, "metadata", "name") == name);

    private static IEnumerable<string> Manifests() =>
        Directory.EnumerateFiles(Folder, "*.yaml").Where(file => Path.GetFileName(file) != "kustomization.yaml");

    private static IEnumerable<YamlMappingNode> Documents(string file)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(file)));
        return stream.Documents.Select(document => (YamlMappingNode)document.RootNode);
    }

    private static YamlNode At(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            var mapping = Assert.IsType<YamlMappingNode>(node);
            Assert.True(mapping.Children.TryGetValue(new YamlScalarNode(key), out var child), $"no '{key}' in {string.Join('.', path)}");
            node = child;
        }

        return node;
    }

    private static string Text(YamlNode node, params string[] path) => Scalar(At(node, path));

    private static IEnumerable<YamlNode> Items(YamlNode node, params string[] path) => ((YamlSequenceNode)At(node, path)).Children;

    private static string Scalar(YamlNode node) => ((YamlScalarNode)node).Value ?? "";

    /// <summary>A value of the section Evaluation in a host's appsettings.json, as text.</summary>
    private static string Setting(string host, string key)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, host, "appsettings.json")));
        return json.RootElement.GetProperty("Evaluation").GetProperty(key).ToString();
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Evaluation.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException($"No Evaluation.sln above {AppContext.BaseDirectory}.");
    }
}
