using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace ServiceDefaults.Tests.Infrastructure;

/// <summary>
/// A throw-away PostgreSQL 15 cluster (initdb in a temp directory, trust auth, no fsync) on a free port.
/// Runs as the 'postgres' user when the tests run as root, since PostgreSQL refuses root.
/// </summary>
internal sealed class PostgresServer : IAsyncDisposable
{
    private const string BinDirectory = "/usr/lib/postgresql/15/bin";
    private const string ServiceUser = "postgres";

    private readonly string _directory = Directory.CreateTempSubdirectory("sd-tests-pg-").FullName;
    private Process? _process;

    public int Port { get; } = FreePort.Next();

    public string ConnectionString =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Timeout=5";

    public static bool IsInstalled => File.Exists(Path.Combine(BinDirectory, "postgres"));

    private string DataDirectory => Path.Combine(_directory, "data");

    public async Task InitializeAsync()
    {
        if (Environment.UserName == "root")
        {
            await RunToEndAsync("/usr/bin/chown", ["-R", $"{ServiceUser}:{ServiceUser}", _directory], runAsUser: null);
        }

        await RunToEndAsync(Path.Combine(BinDirectory, "initdb"),
            ["-D", DataDirectory, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8"], ServiceUser);
    }

    public async Task StartAsync()
    {
        _process = await ChildProcesses.StartAsync(Path.Combine(BinDirectory, "postgres"),
        [
            "-D", DataDirectory,
            "-p", Port.ToString(CultureInfo.InvariantCulture),
            "-k", _directory,
            "-c", "listen_addresses=127.0.0.1",
            "-c", "fsync=off",
            "-c", "full_page_writes=off",
        ], ServiceUser);
        await FreePort.WaitUntilListeningAsync(Port, TimeSpan.FromSeconds(20));
        await WaitUntilAcceptingAsync(TimeSpan.FromSeconds(20));
    }

    /// <summary>PostgreSQL listens before it accepts sessions: until recovery ends it answers 57P03 "starting up".</summary>
    private async Task WaitUntilAcceptingAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString + ";Pooling=false");
                await connection.OpenAsync();
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.CannotConnectNow && deadline.Elapsed < timeout)
            {
                await Task.Delay(50);
            }
        }
    }

    public async Task StopAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            // SIGTERM is PostgreSQL's "smart" shutdown, which waits for clients; SIGINT ("fast") does not.
            await ChildProcesses.StopAsync(process, TimeSpan.FromSeconds(10), signal: "INT");
            process.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static async Task RunToEndAsync(string fileName, string[] arguments, string? runAsUser)
    {
        using var process = await ChildProcesses.StartAsync(fileName, arguments, runAsUser);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        ChildProcesses.Forget(process);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} exited with {process.ExitCode}.");
        }
    }
}
