using System.Net;
using System.Reflection;
using ECommerce.AppHost.Dashboard;
using ECommerce.AppHost.Hosting;
using ECommerce.AppHost.Hosting.Runtime;

namespace ECommerce.Testing;

/// <summary>
/// The whole app, started for a test run by the AppHost's own Program: every resource on a free
/// port, throw-away data in a temporary folder, every process and folder removed at dispose.
/// </summary>
public sealed class TestApp : IAsyncDisposable
{
    private readonly Thread _thread;
    private readonly Dictionary<string, HttpClient> _clients = [];
    private readonly List<HttpClient> _dashboardClients = [];

    private TestApp(DistributedApplication app, Thread thread, string dataDir, string stateFile)
    {
        Application = app;
        _thread = thread;
        DataDir = dataDir;
        StateFile = stateFile;
    }

    public DistributedApplication Application { get; }

    public string DataDir { get; }

    public string StateFile { get; }

    /// <summary>The developer dashboard of this run: its URL and sign-in token.</summary>
    public DashboardInfo Dashboard => Application.Dashboard
        ?? throw new InvalidOperationException("The app runs without its dashboard.");

    /// <summary>Starts the app and waits until every resource is healthy.</summary>
    /// <param name="privateFolder">Keep the data in a folder only its owner may enter (as a home folder is).</param>
    public static async Task<TestApp> StartAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default, bool privateFolder = false)
    {
        var dataDir = TestDirectories.Create("app");
        if (privateFolder && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(dataDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var stateFile = Path.Combine(dataDir, "state.json");
        var built = new TaskCompletionSource<DistributedApplication>(TaskCreationOptions.RunContinuationsAsynchronously);
        var hook = new TestingHook(
            ["--random-ports", "--ephemeral", "--quiet", "--data-dir", Path.Combine(dataDir, "data"), "--state-file", stateFile],
            app => built.TrySetResult(app));
        var entryPoint = typeof(Program).Assembly.EntryPoint
            ?? throw new InvalidOperationException("The AppHost assembly has no entry point.");

        var thread = new Thread(() =>
        {
            DistributedApplication.TestingHook = hook;
            try
            {
                entryPoint.Invoke(null, [Array.Empty<string>()]);
                built.TrySetException(new InvalidOperationException("The AppHost's Program ended without building the app."));
            }
            catch (TargetInvocationException e)
            {
                built.TrySetException(e.InnerException ?? e);
            }
        })
        { IsBackground = true, Name = "AppHost Program" };
        thread.Start();

        var app = await built.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        var testApp = new TestApp(app, thread, dataDir, stateFile);
        try
        {
            await app.WaitForHealthyAsync(timeout ?? TimeSpan.FromMinutes(3), cancellationToken);
        }
        catch (Exception startFailure)
        {
            try
            {
                await testApp.DisposeAsync();
            }
            catch (Exception cleanupFailure)
            {
                throw new AggregateException("The app did not start, and cleaning up failed too.", startFailure, cleanupFailure);
            }
            throw;
        }
        return testApp;
    }

    /// <summary>An HttpClient for a project resource, with its base address set.</summary>
    public HttpClient CreateHttpClient(string resource)
    {
        lock (_clients)
        {
            if (!_clients.TryGetValue(resource, out var client))
            {
                client = new HttpClient { BaseAddress = Application.GetEndpoint(resource), Timeout = TimeSpan.FromSeconds(30) };
                _clients[resource] = client;
            }
            return client;
        }
    }

    /// <summary>
    /// A client of the dashboard that keeps cookies and does not follow redirects; signed in (through
    /// the login link, as a browser is) unless <paramref name="signedIn"/> is false.
    /// </summary>
    public async Task<HttpClient> CreateDashboardClientAsync(bool signedIn = true, CancellationToken cancellationToken = default)
    {
        var handler = new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false, UseCookies = true };
        var client = new HttpClient(handler) { BaseAddress = new Uri(Dashboard.Url), Timeout = TimeSpan.FromSeconds(30) };
        lock (_dashboardClients)
        {
            _dashboardClients.Add(client);
        }
        if (signedIn)
        {
            using var response = await client.GetAsync($"/login?t={Dashboard.Token}", cancellationToken);
            if (response.StatusCode != HttpStatusCode.SeeOther)
            {
                throw new InvalidOperationException($"Signing in to the dashboard answered {(int)response.StatusCode}.");
            }
        }
        return client;
    }

    public ResourceSnapshot GetResource(string name) => Application.GetResource(name);

    public string GetConnectionString(string name) => Application.GetConnectionString(name);

    public Task StopResourceAsync(string name) => Application.StopResourceAsync(name);

    public Task StartResourceAsync(string name) => Application.StartResourceAsync(name);

    public async Task WaitForStateAsync(string name, ResourceState state, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        await Application.WaitForStateAsync(name, state, cancellation.Token);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients.Values.Concat(_dashboardClients))
        {
            client.Dispose();
        }
        await Application.StopAsync();
        _thread.Join(TimeSpan.FromSeconds(30));
        TestDirectories.Delete(DataDir);
    }
}
