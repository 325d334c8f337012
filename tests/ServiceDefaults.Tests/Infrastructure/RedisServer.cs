using System.Diagnostics;

namespace ServiceDefaults.Tests.Infrastructure;

/// <summary>A throw-away redis-server on a free port, in its own temp directory, without persistence.</summary>
internal sealed class RedisServer : IAsyncDisposable
{
    public const string Executable = "/usr/bin/redis-server";

    private readonly string _directory = Directory.CreateTempSubdirectory("sd-tests-redis-").FullName;
    private Process? _process;

    public int Port { get; } = FreePort.Next();

    public string ConnectionString => $"127.0.0.1:{Port}";

    public static bool IsInstalled => File.Exists(Executable);

    public async Task StartAsync()
    {
        _process = await ChildProcesses.StartAsync(Executable,
        [
            "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1",
            "--dir", _directory,
            "--save", "",
            "--appendonly", "no",
        ]);
        await FreePort.WaitUntilListeningAsync(Port, TimeSpan.FromSeconds(10));
    }

    public async Task StopAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            await ChildProcesses.StopAsync(process, TimeSpan.FromSeconds(5));
            process.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
