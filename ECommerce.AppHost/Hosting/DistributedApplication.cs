using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using ECommerce.AppHost.Dashboard;
using ECommerce.AppHost.Hosting.Runners;
using ECommerce.AppHost.Hosting.Runtime;

namespace ECommerce.AppHost.Hosting;

/// <summary>
/// Runs the declared resources as local processes, in dependency order, watches their health
/// and stops them all, Aspire-style. The same engine serves `dotnet run` and the tests.
/// </summary>
public sealed class DistributedApplication : IAsyncDisposable
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    [ThreadStatic]
    private static TestingHook? t_testingHook;

    private readonly Dictionary<string, ResourceInstance> _instances;
    private readonly List<CredentialsResource> _credentials;
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _shutdown = new();
    private readonly TaskCompletionSource _shutdownRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private RunContext? _context;
    private StateFile? _stateFile;
    private DashboardServer? _dashboard;
    private Task? _stopTask;

    internal DistributedApplication(AppHostOptions options, IReadOnlyList<IResource> resources)
    {
        Options = options;
        _credentials = resources.OfType<CredentialsResource>().ToList();
        _instances = resources.OfType<RunnableResource>().ToDictionary(r => r.Name, r => new ResourceInstance(ResourceRunner.For(r)), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Set by the testing host on the thread that runs the AppHost's entry point.</summary>
    public static TestingHook? TestingHook
    {
        get => t_testingHook;
        set => t_testingHook = value;
    }

    public AppHostOptions Options { get; }

    /// <summary>The developer dashboard's URL and sign-in token once started (null with --no-dashboard).</summary>
    public DashboardInfo? Dashboard => _dashboard?.Info;

    /// <summary>Completes when every resource has been started (not yet healthy); faults if start-up failed.</summary>
    public Task Started => _started.Task;

    public IReadOnlyList<ResourceSnapshot> Resources
    {
        get
        {
            lock (_lock)
            {
                return _instances.Values.Select(i => i.Snapshot()).ToList();
            }
        }
    }

    public static DistributedApplicationBuilder CreateBuilder(string[] args)
    {
        var hook = TestingHook;
        string[] all = hook is null ? args : [.. args, .. hook.Arguments];
        AppHostOptions options;
        try
        {
            options = AppHostOptions.Parse(all, DefaultDataDir());
        }
        catch (AppHostException e) when (hook is null)
        {
            Console.Error.WriteLine(e);
            Environment.Exit(2);
            throw;
        }
        if (options.ShowHelp && hook is null)
        {
            Console.WriteLine(AppHostOptions.Usage);
            Environment.Exit(0);
        }
        return new DistributedApplicationBuilder(options);
    }

    /// <summary>`.data` beside the AppHost project, i.e. at the top of the repository.</summary>
    private static string DefaultDataDir()
    {
        var projectDir = typeof(DistributedApplication).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "AppHostProjectDirectory")?.Value;
        return Path.Combine(projectDir is null ? Environment.CurrentDirectory : Path.GetDirectoryName(projectDir)!, ".data");
    }

    public ResourceSnapshot GetResource(string name) => Instance(name).Snapshot();

    /// <summary>The HTTP address of a project resource.</summary>
    public Uri GetEndpoint(string name) => Instance(name).Resource is ProjectResource project
        ? new Uri(project.HttpUrl)
        : throw new ArgumentException($"{name} is not a project with an HTTP endpoint.", nameof(name));

    /// <summary>A generated sign-in (email, password), available once the app has started.</summary>
    public (string Email, string Password) GetCredentials(string name) =>
        _credentials.FirstOrDefault(c => c.Name == name) is { } credentials
            ? (credentials.Email, credentials.Password)
            : throw new ArgumentException($"No credentials named {name}.", nameof(name));

    public string GetConnectionString(string name) =>
        _instances.Values.Select(i => i.Resource).OfType<PostgresServerResource>().SelectMany(p => p.Databases)
            .Cast<IResourceWithConnectionString>()
            .Concat(_instances.Values.Select(i => i.Resource).OfType<IResourceWithConnectionString>())
            .FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase))?.GetConnectionString()
        ?? throw new ArgumentException($"No resource named {name} has a connection string.", nameof(name));

    public IReadOnlyList<LogLine> GetLogs(string name, int count = 200) => Instance(name).Log.Tail(count);

    /// <summary>Console lines numbered after <paramref name="afterNumber"/> (the dashboard polls with it).</summary>
    internal IReadOnlyList<NumberedLogLine> GetLogsSince(string name, long afterNumber, int max) => Instance(name).Log.Since(afterNumber, max);

    /// <summary>How a resource was last started, for the dashboard (which masks the secrets).</summary>
    internal ResourceDetails GetDetails(string name)
    {
        var instance = Instance(name);
        var spec = instance.Spec;
        var (kind, source) = instance.Resource switch
        {
            ProjectResource project => ("Project", project.Project.ProjectPath),
            PostgresServerResource postgres => ("PostgreSQL", $"databases: {string.Join(", ", postgres.Databases.Select(d => d.DatabaseName))}"),
            RedisResource => ("Redis", (string?)null),
            var other => (other.GetType().Name, null),
        };
        return new ResourceDetails(instance.Name, kind, source, spec?.FileName, spec?.Arguments ?? [], spec?.WorkingDirectory,
            spec?.Environment ?? new Dictionary<string, string>(), instance.Failure);
    }

    /// <summary>Runs until Ctrl+C or SIGTERM (or, under the testing host, until the test stops the app).</summary>
    public void Run()
    {
        if (TestingHook is not null)
        {
            try
            {
                StartAsync().GetAwaiter().GetResult();
            }
            catch (Exception)
            {
                // Reported to the test through Started.
            }
            _stopped.Task.GetAwaiter().GetResult();
            return;
        }
        Environment.ExitCode = RunAsync().GetAwaiter().GetResult();
    }

    private async Task<int> RunAsync()
    {
        var firstSignal = DateTime.MinValue;
        var signals = new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGQUIT }
            .Select(signal => PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                if (_shutdownRequested.Task.IsCompleted)
                {
                    if (DateTime.UtcNow - firstSignal < TimeSpan.FromSeconds(1))
                    {
                        return; // the same stop, sent to the process and to its group
                    }
                    Console.Error.WriteLine("Stopping now: killing every resource.");
                    Environment.Exit(130);
                }
                firstSignal = DateTime.UtcNow;
                Console.WriteLine("Stopping every resource (press Ctrl+C again to kill them at once)...");
                _shutdownRequested.TrySetResult();
            }))
            .ToList();
        var exitCode = 0;
        try
        {
            var clock = Stopwatch.StartNew();
            await StartAsync(_shutdown.Token);
            PrintEndpoints();
            _ = ReportWhenHealthyAsync(clock);
            await _shutdownRequested.Task;
        }
        catch (AppHostException e)
        {
            Console.Error.WriteLine();
            Console.Error.WriteLine($"Cannot start: {e}");
            exitCode = 1;
        }
        catch (OperationCanceledException) when (_shutdown.IsCancellationRequested)
        {
        }
        finally
        {
            await StopAsync();
            signals.ForEach(s => s.Dispose());
        }
        return exitCode;
    }

    private void PrintEndpoints()
    {
        var rows = new List<(string Name, string Value)>();
        if (_dashboard is not null)
        {
            rows.Add(("dashboard", _dashboard.Info.LoginUrl));
        }
        rows.AddRange(_instances.Values.Select(i => (i.Name, string.Join(" ", i.Resource.Urls))));
        if (Options.StateFile is not null)
        {
            rows.Add(("state file", Options.StateFile));
        }
        rows.AddRange(_credentials.Select(c => (c.Name, $"sign-in kept in {c.FilePath}")));

        var sink = _context!.Sink;
        var width = rows.Max(r => r.Name.Length) + 1;
        sink.Info("");
        sink.Info($"ECommerce is starting. Data: {Options.DataDir}");
        rows.ForEach(row => sink.Info($"  {row.Name.PadRight(width)}{row.Value}"));
        sink.Info("Press Ctrl+C to stop.");
        sink.Info("");
    }

    private async Task ReportWhenHealthyAsync(Stopwatch clock)
    {
        try
        {
            await WaitForHealthyAsync(TimeSpan.FromMinutes(10), _shutdown.Token);
            var storefront = _instances.Values.Select(i => i.Resource).OfType<ProjectResource>().FirstOrDefault(p => p.Name == "storefront");
            _context!.Sink.Info($"All {_instances.Count} resources are healthy after {clock.Elapsed.TotalSeconds:0.0} s."
                + (storefront is null ? "" : $" Open the shop at {storefront.HttpUrl}"));
        }
        catch (Exception e) when (e is AppHostException or OperationCanceledException)
        {
            // An exit is reported where it happens; a cancelled wait means we are stopping.
        }
    }

    /// <summary>Checks the machine, prepares the data dir and starts every resource once its dependencies are healthy.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await StartCoreAsync(cancellationToken);
            _started.TrySetResult();
        }
        catch (Exception e)
        {
            _started.TrySetException(e);
            throw;
        }
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        if (_context is not null)
        {
            throw new InvalidOperationException("The app is already started.");
        }
        var prerequisites = Prerequisites.Find();
        Directory.CreateDirectory(Options.DataDir);
        var sink = new ConsoleSink(Path.Combine(Options.DataDir, "logs"), echo: !Options.Quiet)
        {
            NameWidth = _instances.Keys.Max(n => n.Length) + 1,
        };
        _context = new RunContext(Options, Secrets.LoadOrCreate(Options.DataDir), prerequisites, sink);
        Directory.CreateDirectory(_context.PidDir);
        foreach (var line in await LeftoverProcesses.StopAllAsync(_context.PidDir))
        {
            sink.Info(line);
        }

        _credentials.ForEach(c => c.LoadOrCreate(Options.DataDir));
        // With free ports the dashboard binds first, so no resource is given one of its ports; with the
        // fixed ones the resources' ports are checked first, by the check whose message lists them all.
        if (Options.RandomPorts)
        {
            await StartDashboardAsync(cancellationToken);
        }
        AssignPorts();
        if (!Options.RandomPorts)
        {
            await StartDashboardAsync(cancellationToken);
        }
        if (Options.StateFile is not null)
        {
            _stateFile = new StateFile(Options.StateFile, Options.DataDir) { Dashboard = _dashboard?.Info };
        }
        PublishState();

        foreach (var instance in _instances.Values)
        {
            _ = BeginStart(instance);
        }
        await Task.CompletedTask.WaitAsync(cancellationToken);
    }

    /// <summary>The dashboard and its OTLP receiver (unless --no-dashboard); the services are then told to export there.</summary>
    private async Task StartDashboardAsync(CancellationToken cancellationToken)
    {
        if (Options.NoDashboard)
        {
            return;
        }
        _dashboard = await DashboardServer.StartAsync(this, Options.RandomPorts, _context!.Sink.Error, cancellationToken);
        _context = _context with { Otlp = new OtlpTarget(_dashboard.Info.OtlpEndpoint, _dashboard.Info.OtlpApiKey) };
    }

    private void AssignPorts()
    {
        var resources = _instances.Values.Select(i => i.Resource).ToList();
        if (Options.RandomPorts)
        {
            var ports = Ports.Free(resources.Count);
            for (var i = 0; i < resources.Count; i++)
            {
                resources[i].Port = ports[i];
            }
            return;
        }
        var busy = resources.Where(r => !Ports.IsFree(r.DefaultPort)).ToList();
        if (busy.Count > 0)
        {
            throw new AppHostException(
                $"Port{(busy.Count > 1 ? "s" : "")} already in use: {string.Join(", ", busy.Select(r => $"{r.DefaultPort} ({r.Name})"))}. Is the app already running?",
                "Stop whatever listens there (ss -ltnp shows it), or run with --random-ports.");
        }
        resources.ForEach(r => r.Port = r.DefaultPort);
    }

    /// <summary>Starts (or restarts) one resource; the task is kept so a stop can wait for a start in progress.</summary>
    private Task BeginStart(ResourceInstance instance)
    {
        var run = CancellationTokenSource.CreateLinkedTokenSource(_shutdown.Token);
        Task start;
        lock (_lock)
        {
            instance.RunCancellation = run;
            instance.StopRequested = false;
            instance.StartTask = start = StartInstanceAsync(instance, run.Token);
        }
        Observe(start, instance);
        return start;
    }

    private async Task StartInstanceAsync(ResourceInstance instance, CancellationToken token)
    {
        await Task.Yield(); // the caller registers this task before any of it runs
        var context = _context!;
        try
        {
            Update(instance, i => { i.State = ResourceState.Starting; i.Failure = null; i.ExitCode = null; });
            foreach (var dependency in instance.Resource.WaitsFor)
            {
                await WaitForStateAsync(dependency.Name, ResourceState.Healthy, token);
            }
            if (!Ports.IsFree(instance.Resource.Port))
            {
                throw new AppHostException($"Port {instance.Resource.Port} for {instance.Name} is already in use.",
                    "Stop whatever listens there (ss -ltnp shows it), or run with --random-ports.");
            }
            var spec = await instance.Runner.PrepareAsync(context, token);
            token.ThrowIfCancellationRequested();
            var process = await ChildProcess.StartAsync(instance.Name, spec, context.PidDir, line =>
            {
                instance.Log.Add(line);
                context.Sink.Write(line);
            });
            Update(instance, i =>
            {
                i.Process = process;
                i.Spec = spec;
                i.State = ResourceState.Running;
                i.StartedAt = DateTimeOffset.Now;
                i.Starts++;
            });
            Observe(WatchExitAsync(instance, process), instance);
            Observe(ProbeHealthAsync(instance, process, token), instance);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            Update(instance, i => { if (i.State == ResourceState.Starting) { i.State = ResourceState.Exited; } });
        }
        catch (Exception e)
        {
            var message = e is AppHostException ? e.ToString() : $"{e.GetType().Name}: {e.Message}";
            context.Sink.Error($"{instance.Name} failed to start: {message}");
            Update(instance, i => { i.State = ResourceState.Exited; i.Failure = message; });
        }
    }

    /// <summary>A background task of the engine that fails is a bug: say so, never lose it silently.</summary>
    private void Observe(Task task, ResourceInstance instance) =>
        task.ContinueWith(
            t => _context?.Sink.Error($"Internal error while running {instance.Name}: {t.Exception!.GetBaseException()}"),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    private async Task WatchExitAsync(ResourceInstance instance, ChildProcess process)
    {
        var code = await process.Exited;
        var expected = false;
        CancellationTokenSource? run = null;
        Update(instance, i =>
        {
            if (i.Process != process)
            {
                return;
            }
            expected = i.StopRequested || _shutdown.IsCancellationRequested;
            run = i.RunCancellation;
            i.State = ResourceState.Exited;
            i.ExitCode = code;
        });
        if (run is not null)
        {
            await run.CancelAsync(); // outside the lock: cancelling runs the probe loop's continuations
        }
        if (!expected && run is not null)
        {
            var tail = instance.Log.Tail(20).Select(l => "    " + l.Text);
            _context!.Sink.Error($"{instance.Name} exited unexpectedly with code {code}. Its last lines:{Environment.NewLine}{string.Join(Environment.NewLine, tail)}");
        }
    }

    private async Task ProbeHealthAsync(ResourceInstance instance, ChildProcess process, CancellationToken token)
    {
        var ready = false;
        while (!token.IsCancellationRequested)
        {
            bool? answer;
            try
            {
                answer = await instance.Runner.ProbeAsync(token);
                if (answer == true && !ready)
                {
                    await instance.Runner.OnHealthyAsync(_context!, token);
                    ready = true;
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _context!.Sink.Error($"{instance.Name}: {e.Message}");
                answer = false;
            }
            var state = ResourceState.Running;
            Update(instance, i =>
            {
                if (i.Process != process || i.State == ResourceState.Exited)
                {
                    return;
                }
                i.State = state = answer switch
                {
                    true when ready => ResourceState.Healthy,
                    null when i.State is ResourceState.Starting or ResourceState.Running => ResourceState.Running,
                    _ => ResourceState.Unhealthy,
                };
            });
            var delay = state == ResourceState.Healthy ? TimeSpan.FromSeconds(2) : TimeSpan.FromMilliseconds(200);
            try
            {
                await Task.Delay(delay, token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Applies a change under the lock; publishes the state when it changed something visible.</summary>
    private void Update(ResourceInstance instance, Action<ResourceInstance> change)
    {
        bool changed;
        lock (_lock)
        {
            var before = instance.Snapshot();
            change(instance);
            var after = instance.Snapshot();
            changed = (before.State, before.Pid, before.ExitCode, before.StartedAt, before.Restarts)
                != (after.State, after.Pid, after.ExitCode, after.StartedAt, after.Restarts);
            if (changed)
            {
                var previous = _changed;
                _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                previous.TrySetResult();
            }
        }
        if (changed)
        {
            PublishState();
        }
    }

    private void PublishState()
    {
        try
        {
            _stateFile?.Write(Resources);
        }
        catch (IOException e)
        {
            _context?.Sink.Error($"Could not write the state file: {e.Message}");
        }
    }

    private ResourceInstance Instance(string name) =>
        _instances.TryGetValue(name, out var instance)
            ? instance
            : throw new ArgumentException($"No resource named '{name}'. Resources: {string.Join(", ", _instances.Keys)}.", nameof(name));

    /// <summary>Waits until the resource is in the state; throws if it exits (with its last lines) while waiting for anything else.</summary>
    public async Task WaitForStateAsync(string name, ResourceState state, CancellationToken cancellationToken = default)
    {
        var instance = Instance(name);
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (instance.State == state)
                {
                    return;
                }
                changed = _changed.Task;
            }
            await changed.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Waits until every resource is healthy; fails at once, with the last log lines, when one exits.</summary>
    public async Task WaitForHealthyAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        await Started.WaitAsync(timer.Token);
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                var exited = _instances.Values.FirstOrDefault(i => i.State == ResourceState.Exited);
                if (exited is not null)
                {
                    throw new AppHostException(Describe(exited, "exited"));
                }
                if (_instances.Values.All(i => i.State == ResourceState.Healthy))
                {
                    return;
                }
                changed = _changed.Task;
            }
            try
            {
                await changed.WaitAsync(timer.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                var waiting = _instances.Values.Where(i => i.State != ResourceState.Healthy).ToList();
                throw new AppHostException($"Not healthy after {timeout.TotalSeconds:0} s: {string.Join(", ", waiting.Select(i => $"{i.Name} ({i.State})"))}."
                    + Environment.NewLine + string.Join(Environment.NewLine, waiting.Select(i => Describe(i, i.State.ToString()))));
            }
        }
    }

    private static string Describe(ResourceInstance instance, string what)
    {
        var tail = instance.Log.Tail(25).Select(l => "    " + l.Text);
        var cause = instance.Failure ?? (instance.ExitCode is { } code ? $"exit code {code}" : "");
        return $"{instance.Name} {what} ({cause}). Its last lines:{Environment.NewLine}{string.Join(Environment.NewLine, tail)}";
    }

    /// <summary>Stops one resource (its dependants keep running and see it go away).</summary>
    public async Task StopResourceAsync(string name)
    {
        var instance = Instance(name);
        Task? start;
        CancellationTokenSource? run;
        lock (_lock)
        {
            instance.StopRequested = true;
            start = instance.StartTask;
            run = instance.RunCancellation;
        }
        // A start in progress (waiting for dependencies, initdb) is cancelled and waited for first.
        if (start is { IsCompleted: false } && run is not null)
        {
            await run.CancelAsync();
        }
        if (start is not null)
        {
            await start;
        }
        ChildProcess? process;
        lock (_lock)
        {
            process = instance.State == ResourceState.Exited ? null : instance.Process;
        }
        if (process is not null)
        {
            await process.StopAsync(StopGrace);
            await WaitForStateAsync(name, ResourceState.Exited);
        }
    }

    /// <summary>Starts a stopped resource again on the same port.</summary>
    public async Task StartResourceAsync(string name)
    {
        var instance = Instance(name);
        lock (_lock)
        {
            if (instance.State != ResourceState.Exited)
            {
                return;
            }
        }
        await BeginStart(instance);
    }

    public async Task RestartResourceAsync(string name)
    {
        await StopResourceAsync(name);
        await StartResourceAsync(name);
    }

    /// <summary>Stops every resource, dependants first (services, then Redis and PostgreSQL).</summary>
    public Task StopAsync()
    {
        lock (_lock)
        {
            // Task.Run: the stop (and the continuations it triggers) never runs under the lock.
            _stopTask ??= Task.Run(StopCoreAsync);
            return _stopTask;
        }
    }

    private async Task StopCoreAsync()
    {
        try
        {
            _shutdownRequested.TrySetResult();
            await _shutdown.CancelAsync();
            var remaining = _instances.Values.ToList();
            while (remaining.Count > 0)
            {
                // Stop what nothing still running depends on.
                var batch = remaining.Where(i => !remaining.Any(other => other.Resource.WaitsFor.Contains(i.Resource))).ToList();
                if (batch.Count == 0)
                {
                    batch = remaining;
                }
                await Task.WhenAll(batch.Select(i => StopResourceAsync(i.Name)));
                remaining = remaining.Except(batch).ToList();
            }
            PublishState();
            if (_dashboard is not null)
            {
                // Last: the services send their final telemetry while they stop.
                await _dashboard.DisposeAsync();
            }
            if (_context is not null)
            {
                await _context.Sink.DisposeAsync();
            }
            if (Options.Ephemeral)
            {
                await DeleteDataDirAsync();
            }
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>Throw-away data goes at stop; a server still removing its own files is given a moment.</summary>
    private async Task DeleteDataDirAsync()
    {
        for (var attempt = 1; Directory.Exists(Options.DataDir); attempt++)
        {
            try
            {
                Directory.Delete(Options.DataDir, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException && attempt < 10)
            {
                await Task.Delay(200);
            }
        }
    }
}

/// <summary>Lets the testing host run the AppHost's own Program with extra options and get the app it builds.</summary>
public sealed class TestingHook(IReadOnlyList<string> arguments, Action<DistributedApplication> onBuilt)
{
    public IReadOnlyList<string> Arguments { get; } = arguments;

    public void OnBuilt(DistributedApplication app) => onBuilt(app);
}
