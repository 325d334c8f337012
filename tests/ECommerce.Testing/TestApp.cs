using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using ECommerce.AppHost.Local;
using Microsoft.Extensions.DependencyInjection;

namespace ECommerce.Testing;

/// <summary>A resource's state as the AppHost's state file names it.</summary>
public enum ResourceState
{
    Starting,
    Running,
    Healthy,
    Unhealthy,
    Exited,
}

/// <summary>One resource of the running app: its state, URLs, process id and exit code.</summary>
public sealed record ResourceSnapshot(string Name, ResourceState State, IReadOnlyList<string> Urls, int? Pid, int? ExitCode);

/// <summary>One replica of a service started with <c>--replicas</c>: Aspire's instance id, the replica's own address, its process.</summary>
public sealed record Replica(string InstanceId, Uri Endpoint, int? Pid, ResourceState State);

/// <summary>
/// The whole app for a test run, through Aspire.Hosting.Testing: the AppHost's own app model
/// (<see cref="Projects.ECommerce_AppHost"/>) on free ports with throw-away data in a temporary folder,
/// started and waited on until every resource is healthy; every process and folder removed at dispose.
/// </summary>
public sealed class TestApp : IAsyncDisposable
{
    /// <summary>The resources of the app model, in the order they start.</summary>
    public static readonly string[] Resources = ["postgres", "redis", "catalog-api", "ordering-api", "forecast-worker", "assistant-api", "storefront"];

    private readonly Dictionary<string, HttpClient> _clients = [];

    private TestApp(DistributedApplication app, string dataDir)
    {
        Application = app;
        DataDir = dataDir;
    }

    public DistributedApplication Application { get; }

    /// <summary>The run's temporary folder: the AppHost's data dir is <c>data/</c> in it, the state file <c>state.json</c>.</summary>
    public string DataDir { get; }

    public string AppDataDir => Path.Combine(DataDir, "data");

    public string StateFile => Path.Combine(DataDir, "state.json");

    /// <summary>Starts the app and waits until every resource is healthy.</summary>
    /// <param name="privateFolder">Keep the data in a folder only its owner may enter (as a home folder is).</param>
    /// <param name="dashboard">Run the Aspire dashboard too (Aspire.Hosting.Testing leaves it out by default).</param>
    /// <param name="replicas">The AppHost's <c>--replicas</c>: each API runs as that many replicas.</param>
    public static async Task<TestApp> StartAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default, bool privateFolder = false, bool dashboard = false, int replicas = 1)
    {
        var dataDir = TestDirectories.Create("app");
        if (privateFolder && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(dataDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        string[] args = ["--random-ports", "--ephemeral", "--quiet", "--data-dir", Path.Combine(dataDir, "data"), "--state-file", Path.Combine(dataDir, "state.json"), "--replicas", replicas.ToString(CultureInfo.InvariantCulture)];

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout ?? TimeSpan.FromMinutes(3));
        DistributedApplication? app = null;
        try
        {
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ECommerce_AppHost>(
                new DistributedApplicationTestingBuilderOptions { EnableDashboard = dashboard }, args, deadline.Token);
            app = await builder.BuildAsync(deadline.Token);
            await app.StartAsync(deadline.Token);
            var testApp = new TestApp(app, dataDir);
            foreach (var name in Resources)
            {
                await app.ResourceNotifications.WaitForResourceHealthyAsync(name, deadline.Token);
            }
            foreach (var replicated in testApp.Model.Resources.Where(r => r.GetReplicaCount() > 1))
            {
                foreach (var instance in await testApp.InstancesAsync(replicated, deadline.Token))
                {
                    await testApp.WaitForInstanceAsync(replicated.Name, instance, ResourceState.Healthy, deadline.Token);
                }
            }
            return testApp;
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }
            TestDirectories.Delete(dataDir);
            throw;
        }
    }

    /// <summary>
    /// The names of the environment variables the AppHost gives each of its services (project resources), read from
    /// its app model as built by Aspire.Hosting.Testing and never started: every <c>WithReference</c>,
    /// <c>WithEnvironment</c> and Aspire's own (OTEL_*, ASPNETCORE_URLS) callback is run; no value is resolved.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, IReadOnlySet<string>>> ReadServiceEnvironmentNamesAsync(CancellationToken cancellationToken = default)
    {
        var dataDir = TestDirectories.Create("model");
        try
        {
            string[] args = ["--random-ports", "--ephemeral", "--quiet", "--data-dir", Path.Combine(dataDir, "data")];
            await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ECommerce_AppHost>(
                new DistributedApplicationTestingBuilderOptions { EnableDashboard = false }, args, cancellationToken);
            var names = new Dictionary<string, IReadOnlySet<string>>();
            foreach (var service in builder.Resources.OfType<ProjectResource>())
            {
                var environment = new Dictionary<string, object>();
                var context = new EnvironmentCallbackContext(builder.ExecutionContext, service, environment, cancellationToken);
                foreach (var callback in service.Annotations.OfType<EnvironmentCallbackAnnotation>())
                {
                    await callback.Callback(context);
                }
                names[service.Name] = environment.Keys.ToHashSet(StringComparer.Ordinal);
            }
            return names;
        }
        finally
        {
            TestDirectories.Delete(dataDir);
        }
    }

    /// <summary>An HttpClient for a project resource, with its base address set (one per resource, kept for the run).</summary>
    public HttpClient CreateHttpClient(string resource)
    {
        lock (_clients)
        {
            if (!_clients.TryGetValue(resource, out var client))
            {
                client = new HttpClient { BaseAddress = GetEndpoint(resource), Timeout = TimeSpan.FromSeconds(30) };
                _clients[resource] = client;
            }
            return client;
        }
    }

    public Uri GetEndpoint(string resource) => Application.GetEndpoint(resource, "http");

    private DistributedApplicationModel Model => Application.Services.GetRequiredService<DistributedApplicationModel>();

    /// <summary>
    /// The replicas of a service started with <c>--replicas</c>, from Aspire's resource model (one instance per replica),
    /// each with its own address (the AppHost's state file lists the same): a test can call one replica and not another.
    /// </summary>
    public async Task<IReadOnlyList<Replica>> GetReplicasAsync(string resource, CancellationToken cancellationToken = default) =>
        [.. (await InstancesAsync(Model.Resources.Single(r => r.Name == resource), cancellationToken)).Select(instance =>
        {
            if (!Application.ResourceNotifications.TryGetCurrentState(instance, out var current) || ResourceStatus.ReplicaUrl(current.Snapshot) is not { } own)
            {
                throw new InvalidOperationException($"{instance} is not a replica with an address of its own (was the app started with replicas?).");
            }
            var read = ResourceStatus.From(resource, current.Snapshot);
            return new Replica(instance, new Uri(own), read.Pid, Enum.Parse<ResourceState>(read.State));
        }).OrderBy(r => r.InstanceId, StringComparer.Ordinal)];

    /// <summary>Aspire's instance ids of a resource's replicas (<c>catalog-api-x7k2...</c>), as its notifications name them.</summary>
    private async Task<IReadOnlyList<string>> InstancesAsync(IResource resource, CancellationToken cancellationToken)
    {
        var seen = new List<string>();
        await foreach (var change in Application.ResourceNotifications.WatchAsync(cancellationToken))
        {
            if (change.Resource == resource && !seen.Contains(change.ResourceId))
            {
                seen.Add(change.ResourceId);
                if (seen.Count == resource.GetReplicaCount())
                {
                    break;
                }
            }
        }
        return seen;
    }

    /// <summary>Waits until one replica (by its instance id) is in <paramref name="state"/>.</summary>
    public async Task WaitForInstanceAsync(string resource, string instanceId, ResourceState state, CancellationToken cancellationToken) =>
        await Application.ResourceNotifications.WaitForResourceAsync(resource,
            e => e.ResourceId == instanceId && ResourceStatus.From(e.Resource.Name, e.Snapshot).State == state.ToString(), cancellationToken);

    /// <summary>The Aspire dashboard's sign-in link for this run (started with <c>dashboard: true</c>).</summary>
    public Task<Uri> GetDashboardLoginUrlAsync() => Application.GetDashboardUrlAsync();

    public ResourceSnapshot GetResource(string name)
    {
        if (!Application.ResourceNotifications.TryGetCurrentState(name, out var current))
        {
            throw new InvalidOperationException($"No resource named {name}.");
        }
        var read = ResourceStatus.From(name, current.Snapshot);
        return new ResourceSnapshot(name, Enum.Parse<ResourceState>(read.State), read.Urls, read.Pid, read.ExitCode);
    }

    public string GetConnectionString(string name) =>
        Application.GetConnectionStringAsync(name).AsTask().GetAwaiter().GetResult()
        ?? throw new InvalidOperationException($"{name} has no connection string.");

    /// <summary>A sign-in the AppHost generated (admin-credentials, forecast-worker-client), as kept in its data dir.</summary>
    public (string Email, string Password) GetCredentials(string name)
    {
        var credentials = Credentials.Read(AppDataDir, name) ?? throw new InvalidOperationException($"No credentials named {name}.");
        return (credentials.Email, credentials.Password);
    }

    public Task StopResourceAsync(string name) => ExecuteAsync(name, KnownResourceCommands.StopCommand);

    public Task StartResourceAsync(string name) => ExecuteAsync(name, KnownResourceCommands.StartCommand);

    private async Task ExecuteAsync(string name, string command)
    {
        var resource = Model.Resources.Single(r => r.Name == name);
        var result = await Application.ResourceCommands.ExecuteCommandAsync(resource, command);
        if (!result.Success)
        {
            throw new InvalidOperationException($"{command} on {name} failed: {result.Message}");
        }
    }

    /// <summary>Waits until every resource of the app is healthy again (each within <paramref name="timeoutEach"/>).</summary>
    public async Task WaitUntilAllHealthyAsync(TimeSpan timeoutEach)
    {
        foreach (var name in Resources)
        {
            await WaitForStateAsync(name, ResourceState.Healthy, timeoutEach);
        }
    }

    public async Task WaitForStateAsync(string name, ResourceState state, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await Application.ResourceNotifications.WaitForResourceAsync(name,
                e => ResourceStatus.From(name, e.Snapshot).State == state.ToString(), cancellation.Token);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            throw new TimeoutException($"{name} was not {state} after {timeout.TotalSeconds:0} s; it is {GetResource(name).State}.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        lock (_clients)
        {
            foreach (var client in _clients.Values)
            {
                client.Dispose();
            }
        }
        await Application.StopAsync();
        await Application.DisposeAsync();
        TestDirectories.Delete(DataDir);
    }
}
