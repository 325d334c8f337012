using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ECommerce.Testing;

namespace ECommerce.IntegrationTests.Identity;

/// <summary>
/// One more instance of a service of the running app, side by side with the one the AppHost runs: the same build
/// output, command line and the very same environment (read from the running instance's /proc/PID/environ), on a port of its own.
/// Stopped (the process tree killed) at dispose.
/// </summary>
internal sealed class SecondInstance : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private SecondInstance(Process process, StreamWriter log, Uri address)
    {
        _process = process;
        _log = log;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Client { get; }

    public static async Task<SecondInstance> StartAsync(TestApp app, string resource, IReadOnlyDictionary<string, string>? extraEnvironment = null)
    {
        var pid = app.GetResource(resource).Pid ?? throw new InvalidOperationException($"{resource} is not running.");
        var environment = ReadEnvironment(pid);
        var port = FreePort();
        environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        environment["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={resource}-{port}";
        foreach (var (name, value) in extraEnvironment ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        // The very command line the AppHost started it with, in the same folder.
        var commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
        var info = new ProcessStartInfo(commandLine[0])
        {
            WorkingDirectory = new DirectoryInfo($"/proc/{pid}/cwd").ResolveLinkTarget(returnFinalTarget: true)?.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in commandLine.Skip(1))
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment.Clear();
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var logPath = Path.Combine(app.DataDir, $"{resource}-second-instance.log");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start a second {resource}.");
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var instance = new SecondInstance(process, log, new Uri($"http://127.0.0.1:{port}"));
        try
        {
            await instance.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        }
        catch
        {
            await instance.DisposeAsync();
            throw new InvalidOperationException($"The second {resource} did not become healthy; its log: {await File.ReadAllTextAsync(logPath)}");
        }
        return instance;
    }

    private async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                using var response = await Client.GetAsync("/health");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException();
    }

    private static Dictionary<string, string> ReadEnvironment(int pid) =>
        File.ReadAllText($"/proc/{pid}/environ")
            .Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Split('=', 2))
            .Where(parts => parts.Length == 2)
            .GroupBy(parts => parts[0])
            .ToDictionary(g => g.Key, g => g.Last()[1]);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is not null)
        {
            lock (log)
            {
                log.WriteLine(line);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }
}
