using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using YamlDotNet.Serialization;

namespace ECommerce.IntegrationTests.Deploy;

/// <summary>
/// deploy/kubernetes: every manifest is read with the KubernetesClient package's typed models (an unknown or misspelt
/// field fails), and each overlay gives every service what the AppHost gives it, under the same names. Nothing starts.
/// </summary>
public sealed partial class KubernetesManifestTests
{
    private static readonly string Root = FindRoot();

    private static readonly string[] Apis = ["catalog-api", "ordering-api", "forecast-worker", "assistant-api"];

    /// <summary>
    /// What the AppHost sets for a developer's machine only, and a cluster leaves out: the listening address (the
    /// images listen on 8080), console-log formatting (ours and Aspire's, for its console capture), the dashboard's
    /// one-second telemetry intervals, and Aspire's second spelling of service addresses (<c>CATALOG_API_HTTP</c>; the
    /// services read <c>services__*</c>).
    /// </summary>
    private static bool IsLocalOnly(string name) =>
        name is "ASPNETCORE_URLS" or "OTEL_BSP_SCHEDULE_DELAY" or "OTEL_BLRP_SCHEDULE_DELAY" or "OTEL_METRIC_EXPORT_INTERVAL"
            or "DOTNET_SYSTEM_CONSOLE_ALLOW_ANSI_COLOR_REDIRECTION"
        || name.StartsWith("Logging__Console__", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("OTEL_DOTNET_EXPERIMENTAL_", StringComparison.Ordinal)
        || AspireEndpointVariable().IsMatch(name);

    [GeneratedRegex("^[A-Z0-9_]+_HTTPS?$")]
    private static partial Regex AspireEndpointVariable();

    [Fact]
    public void Every_manifest_reads_as_typed_Kubernetes_objects_and_an_unknown_field_is_refused()
    {
        var files = ManifestFiles().ToList();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var objects = KubernetesYaml.LoadAllFromString(File.ReadAllText(file), typeMap: null, strict: true);
            Assert.NotEmpty(objects);
            Assert.All(objects, o => Assert.IsAssignableFrom<IKubernetesObject>(o));
        }
        // The strict reading is what catches a misspelt field.
        Assert.ThrowsAny<Exception>(() => KubernetesYaml.LoadAllFromString("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndatta:\n  a: b\n", null, true));
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("production")]
    public async Task Each_service_is_given_every_setting_the_AppHost_gives_it(string overlay)
    {
        var objects = Overlay(Path.Combine(Root, "deploy", "kubernetes", "overlays", overlay));
        var configMaps = objects.OfType<V1ConfigMap>().ToDictionary(c => c.Metadata.Name, c => c.Data.Keys.ToHashSet());
        // dev carries its Secret; production's is made by the operator from a file with the keys of secrets.env.example.
        var secrets = overlay == "dev"
            ? objects.OfType<V1Secret>().ToDictionary(s => s.Metadata.Name, s => s.StringData.Keys.ToHashSet())
            : new Dictionary<string, HashSet<string>> { ["ecommerce-secrets"] = EnvFileKeys(Path.Combine(Root, "deploy", "kubernetes", "overlays", overlay, "secrets.env.example")) };

        var appHost = await TestApp.ReadServiceEnvironmentNamesAsync(TestContext.Current.CancellationToken);
        Assert.Equal(appHost.Keys.Order(), objects.OfType<V1Deployment>().Select(d => d.Metadata.Name).Order());
        foreach (var (service, names) in appHost)
        {
            var container = Assert.Single(objects.OfType<V1Deployment>().Single(d => d.Metadata.Name == service).Spec.Template.Spec.Containers);
            var given = new HashSet<string>(StringComparer.Ordinal);
            foreach (var source in container.EnvFrom ?? [])
            {
                Assert.True(configMaps.TryGetValue(source.ConfigMapRef.Name, out var keys), $"{service}: no ConfigMap {source.ConfigMapRef.Name}");
                given.UnionWith(keys);
            }
            foreach (var variable in container.Env ?? [])
            {
                given.Add(variable.Name);
                if (variable.ValueFrom?.SecretKeyRef is { } secret && secret.Optional != true)
                {
                    Assert.True(secrets.TryGetValue(secret.Name, out var keys) && keys.Contains(secret.Key), $"{service}: Secret {secret.Name} has no key {secret.Key}");
                }
            }
            var missing = names.Where(name => !IsLocalOnly(name) && !given.Contains(name)).Order().ToList();
            Assert.True(missing.Count == 0, $"{service} is not given: {string.Join(", ", missing)}");
        }
        // What the services reach: every services__NAME__http__0 names a Service of the overlay, on its port 80.
        var serviceNames = objects.OfType<V1Service>().Select(s => s.Metadata.Name).ToHashSet();
        foreach (var (key, value) in objects.OfType<V1ConfigMap>().SelectMany(c => c.Data))
        {
            if (ServiceAddress().Match(key) is { Success: true } address)
            {
                Assert.Equal($"http://{address.Groups[1].Value}", value);
                Assert.Contains(address.Groups[1].Value, serviceNames);
            }
        }
    }

    [GeneratedRegex("^services__(.+)__http__0$")]
    private static partial Regex ServiceAddress();

    [Fact]
    public void Every_API_has_two_replicas_a_disruption_budget_an_autoscaler_probes_and_resources_and_the_storefront_one_replica()
    {
        var objects = Overlay(Path.Combine(Root, "deploy", "kubernetes", "base"));
        foreach (var deployment in objects.OfType<V1Deployment>())
        {
            var name = deployment.Metadata.Name;
            var container = Assert.Single(deployment.Spec.Template.Spec.Containers);
            Assert.Equal("/health", container.ReadinessProbe.HttpGet.Path);
            Assert.Equal("/alive", container.LivenessProbe.HttpGet.Path);
            Assert.All(new[] { container.Resources.Requests, container.Resources.Limits }, amounts =>
            {
                Assert.Contains("cpu", amounts.Keys);
                Assert.Contains("memory", amounts.Keys);
            });
            Assert.True(container.Resources.Requests["cpu"].ToDecimal() <= container.Resources.Limits["cpu"].ToDecimal(), name);
            Assert.True(container.Resources.Requests["memory"].ToDecimal() <= container.Resources.Limits["memory"].ToDecimal(), name);
            var labels = deployment.Spec.Template.Metadata.Labels;
            Assert.All(deployment.Spec.Selector.MatchLabels, l => Assert.Equal(l.Value, labels[l.Key]));
            Assert.Contains(objects.OfType<V1Service>(), s => s.Metadata.Name == name && s.Spec.Selector.All(l => labels.TryGetValue(l.Key, out var v) && v == l.Value));

            var budget = objects.OfType<V1PodDisruptionBudget>().SingleOrDefault(b => b.Spec.Selector.MatchLabels.All(l => labels.TryGetValue(l.Key, out var v) && v == l.Value));
            var autoscaler = objects.OfType<V2HorizontalPodAutoscaler>().SingleOrDefault(h => h.Spec.ScaleTargetRef is { Kind: "Deployment" } target && target.Name == name);
            if (Apis.Contains(name))
            {
                Assert.True(deployment.Spec.Replicas >= 2, $"{name} runs {deployment.Spec.Replicas} replicas");
                Assert.NotNull(budget);
                Assert.True(budget.Spec.MinAvailable?.Value is "1" || budget.Spec.MaxUnavailable is not null, $"{name}'s budget keeps no replica up");
                Assert.NotNull(autoscaler);
                Assert.True(autoscaler.Spec.MinReplicas >= 2);
                Assert.Contains(autoscaler.Spec.Metrics, m => m.Type == "Resource" && m.Resource.Name == "cpu");
            }
            else
            {
                Assert.Equal("storefront", name);
                Assert.Equal(1, deployment.Spec.Replicas); // Blazor Server circuits: see deploy/kubernetes/README.md
                Assert.Null(autoscaler);
            }
        }
    }

    /// <summary>The objects a kustomization directory makes: its resources, files and directories, followed down.</summary>
    private static List<object> Overlay(string directory)
    {
        var kustomization = new DeserializerBuilder().Build()
            .Deserialize<Dictionary<string, object>>(File.ReadAllText(Path.Combine(directory, "kustomization.yaml")));
        var objects = new List<object>();
        foreach (var resource in ((List<object>)kustomization["resources"]).Cast<string>())
        {
            var path = Path.GetFullPath(Path.Combine(directory, resource));
            objects.AddRange(Directory.Exists(path)
                ? Overlay(path)
                : KubernetesYaml.LoadAllFromString(File.ReadAllText(path), typeMap: null, strict: true));
        }
        return objects;
    }

    private static IEnumerable<string> ManifestFiles() =>
        Directory.EnumerateFiles(Path.Combine(Root, "deploy", "kubernetes"), "*.yaml", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != "kustomization.yaml");

    private static HashSet<string> EnvFileKeys(string path) =>
        File.ReadAllLines(path).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l[..l.IndexOf('=')]).ToHashSet();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ECommerce.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("No ECommerce.sln above " + AppContext.BaseDirectory);
    }
}
