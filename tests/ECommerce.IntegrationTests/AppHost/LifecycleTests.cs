using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text.Json;
using ECommerce.Testing;

namespace ECommerce.IntegrationTests.AppHost;

/// <summary>Starting and stopping the app itself: these tests start their own app, not the shared one.</summary>
public sealed class LifecycleTests
{
    private static readonly string[] ChildResources = TestApp.Resources;

    private CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Stopping_the_app_leaves_no_process_or_folder_behind()
    {
        var app = await TestApp.StartAsync(cancellationToken: Cancellation);
        var pids = ChildResources.Select(name => app.GetResource(name).Pid!.Value).ToList();
        var dataDir = app.DataDir;
        Assert.All(pids, pid => Assert.True(ProcessTable.IsRunning(pid)));

        await app.DisposeAsync();

        Assert.All(pids, pid => Assert.False(ProcessTable.IsRunning(pid), $"process {pid} outlived the app"));
        Assert.Empty(ProcessTable.CommandLinesContaining(dataDir));
        Assert.False(Directory.Exists(dataDir));
    }

    [Fact]
    public async Task Data_in_a_folder_the_postgres_user_cannot_enter_still_works()
    {
        // As root, PostgreSQL runs as the postgres user; a clone under /root is such a folder.
        Assert.SkipUnless(Environment.UserName == "root", "Only as root does PostgreSQL run as another user.");

        await using var app = await TestApp.StartAsync(cancellationToken: Cancellation, privateFolder: true);

        Assert.Equal(ResourceState.Healthy, app.GetResource("postgres").State);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await app.CreateHttpClient("catalog-api").GetAsync("/health", Cancellation)).StatusCode);
    }

    [Fact]
    public async Task Killing_the_apphost_takes_every_child_with_it()
    {
        var dir = TestDirectories.Create("kill");
        try
        {
            var (appHost, pids) = await StartHealthyAppHostAsync(dir);
            using var _ = appHost;
            appHost.Kill(); // SIGKILL: no chance to clean up, the kernel's parent-death signal must do it

            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (pids.Any(ProcessTable.IsRunning) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200, Cancellation);
            }
            Assert.All(pids, pid => Assert.False(ProcessTable.IsRunning(pid), $"process {pid} outlived the killed AppHost"));
        }
        finally
        {
            TestDirectories.Delete(dir);
        }
    }

    [Fact]
    public async Task Sigterm_stops_every_resource_and_the_apphost_within_15_seconds()
    {
        var dir = TestDirectories.Create("term");
        try
        {
            var (appHost, pids) = await StartHealthyAppHostAsync(dir);
            using var _ = appHost;

            var stopping = System.Diagnostics.Stopwatch.StartNew();
            using (var term = Process.Start("kill", ["-TERM", appHost.Id.ToString()]))
            {
                await term.WaitForExitAsync(Cancellation);
            }
            using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
            cancellation.CancelAfter(TimeSpan.FromSeconds(15));
            await appHost.WaitForExitAsync(cancellation.Token);

            Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(15), $"the AppHost took {stopping.Elapsed.TotalSeconds:0.0} s to stop");
            Assert.All(pids, pid => Assert.False(ProcessTable.IsRunning(pid), $"process {pid} outlived the stopped AppHost"));
            Assert.False(Directory.Exists(Path.Combine(dir, "data")), "--ephemeral data was left behind");
        }
        finally
        {
            TestDirectories.Delete(dir);
        }
    }

    [Fact]
    public async Task A_port_in_use_gives_one_clear_message()
    {
        var dir = TestDirectories.Create("port");
        try
        {
            // The fixed ports are the defaults; take one of them if nothing else holds it.
            using var blocker = TryListen(15432);
            using var appHost = StartAppHost("--data-dir", Path.Combine(dir, "data"));
            var (code, output) = await FinishAsync(appHost, TimeSpan.FromSeconds(60));

            Assert.Equal(1, code);
            Assert.Contains("15432 (postgres)", output);
            Assert.Contains("--random-ports", output);
        }
        finally
        {
            TestDirectories.Delete(dir);
        }
    }

    [Fact]
    public async Task An_unknown_option_is_refused_with_the_usage()
    {
        using var appHost = StartAppHost("--rondom-ports");
        var (code, output) = await FinishAsync(appHost, TimeSpan.FromSeconds(30));

        Assert.Equal(2, code);
        Assert.Contains("Unknown option '--rondom-ports'", output);
        Assert.Contains("--data-dir DIR", output);
    }

    private static TcpListener? TryListen(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return listener;
        }
        catch (SocketException)
        {
            return null; // already taken by someone else: just as good for this test
        }
    }

    /// <summary>The built AppHost on free ports with throw-away data in <paramref name="dir"/>, once every resource is healthy.</summary>
    private async Task<(Process AppHost, List<int> Pids)> StartHealthyAppHostAsync(string dir)
    {
        var stateFile = Path.Combine(dir, "state.json");
        var appHost = StartAppHost("--random-ports", "--ephemeral", "--quiet", "--data-dir", Path.Combine(dir, "data"), "--state-file", stateFile);
        return (appHost, await WaitForAllHealthyAsync(stateFile, appHost, TimeSpan.FromMinutes(3)));
    }

    private static Process StartAppHost(params string[] args)
    {
        // The AppHost's own build output (beside its project, in this build's configuration), as ./run.sh runs it.
        var configuration = typeof(LifecycleTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var projectPath = Projects.ECommerce_AppHost.ProjectPath;
        var projectDir = Directory.Exists(projectPath) ? projectPath : Path.GetDirectoryName(projectPath)!;
        var appHostDll = Path.Combine(projectDir, "bin", configuration, "net10.0", "ECommerce.AppHost.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(appHostDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        return Process.Start(info)!;
    }

    private async Task<(int Code, string Output)> FinishAsync(Process process, TimeSpan timeout)
    {
        var stdout = process.StandardOutput.ReadToEndAsync(Cancellation);
        var stderr = process.StandardError.ReadToEndAsync(Cancellation);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        cancellation.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    private async Task<List<int>> WaitForAllHealthyAsync(string stateFile, Process appHost, TimeSpan timeout)
    {
        var output = new System.Text.StringBuilder();
        appHost.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        appHost.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        appHost.BeginOutputReadLine();
        appHost.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !appHost.HasExited)
        {
            if (File.Exists(stateFile))
            {
                using var json = JsonDocument.Parse(await File.ReadAllTextAsync(stateFile, Cancellation));
                var resources = json.RootElement.GetProperty("resources").EnumerateArray().ToList();
                if (resources.Count == ChildResources.Length && resources.All(r => r.GetProperty("state").GetString() == nameof(ResourceState.Healthy)))
                {
                    return resources.Select(r => r.GetProperty("pid").GetInt32()).ToList();
                }
                if (resources.Any(r => r.GetProperty("state").GetString() == nameof(ResourceState.Exited)))
                {
                    break; // a resource failed: report now, not after the timeout
                }
            }
            await Task.Delay(250, Cancellation);
        }
        appHost.Kill(entireProcessTree: true);
        var state = File.Exists(stateFile) ? await File.ReadAllTextAsync(stateFile, Cancellation) : "(no state file)";
        var logDir = Path.Combine(Path.GetDirectoryName(stateFile)!, "data", "logs");
        var logs = Directory.Exists(logDir)
            ? string.Join(Environment.NewLine, Directory.GetFiles(logDir).Select(f => $"--- {Path.GetFileName(f)}{Environment.NewLine}{string.Join(Environment.NewLine, File.ReadLines(f).TakeLast(15))}"))
            : "(no logs)";
        throw new TimeoutException($"The AppHost did not report every resource healthy (a resource exited, or time ran out). Its output:{Environment.NewLine}{output}"
            + $"{Environment.NewLine}State file:{Environment.NewLine}{state}{Environment.NewLine}Resource logs:{Environment.NewLine}{logs}");
    }
}

/// <summary>Reads /proc: a zombie (dead, not yet reaped) counts as gone.</summary>
internal static class ProcessTable
{
    public static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    public static List<string> CommandLinesContaining(string text) =>
        Directory.GetDirectories("/proc")
            .Where(dir => int.TryParse(Path.GetFileName(dir), out var pid) && pid != Environment.ProcessId && IsRunning(pid))
            .Select(dir =>
            {
                try
                {
                    return File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                }
                catch (IOException)
                {
                    return "";
                }
            })
            .Where(cmdline => cmdline.Contains(text, StringComparison.Ordinal))
            .ToList();
}
