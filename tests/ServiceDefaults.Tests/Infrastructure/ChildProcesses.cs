using System.Collections.Concurrent;
using System.Diagnostics;

namespace ServiceDefaults.Tests.Infrastructure;

/// <summary>
/// Starts server processes (redis-server, postgres) so that they never outlive the test run:
/// they are started through <c>setpriv --pdeathsig SIGKILL</c> from one long-lived thread (the kernel
/// signals the child when the thread that forked it ends, i.e. when this process ends, even by SIGKILL),
/// and every one still running is killed when the process exits normally.
/// </summary>
internal static class ChildProcesses
{
    private const string SetPriv = "/usr/bin/setpriv";
    private static readonly BlockingCollection<(ProcessStartInfo Info, TaskCompletionSource<Process> Started)> Requests = new();
    private static readonly ConcurrentDictionary<int, Process> Running = new();

    static ChildProcesses()
    {
        var launcher = new Thread(LaunchLoop) { IsBackground = true, Name = "test child process launcher" };
        launcher.Start();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
    }

    /// <summary>Starts a process; <paramref name="runAsUser"/> switches user when running as root (PostgreSQL refuses root).</summary>
    public static Task<Process> StartAsync(string fileName, IEnumerable<string> arguments, string? runAsUser = null)
    {
        if (!File.Exists(SetPriv))
        {
            throw new InvalidOperationException($"{SetPriv} (util-linux) is needed to start test servers safely.");
        }

        var info = new ProcessStartInfo
        {
            FileName = SetPriv,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        if (runAsUser is not null && Environment.UserName == "root")
        {
            foreach (var argument in new[] { $"--reuid={runAsUser}", $"--regid={runAsUser}", "--clear-groups" })
            {
                info.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in new[] { "--pdeathsig", "SIGKILL", "--", fileName })
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add((info, started));
        return started.Task;
    }

    /// <summary>Forgets a process that has exited by itself.</summary>
    public static void Forget(Process process) => Running.TryRemove(process.Id, out _);

    /// <summary>Stops a process (SIGTERM or the given signal, then SIGKILL after the grace period) and waits for it to exit.</summary>
    public static async Task StopAsync(Process process, TimeSpan grace, string signal = "TERM")
    {
        try
        {
            if (!process.HasExited)
            {
                Signal(process.Id, signal);
                using var wait = new CancellationTokenSource(grace);
                try
                {
                    await process.WaitForExitAsync(wait.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync();
                }
            }
        }
        finally
        {
            Running.TryRemove(process.Id, out _);
        }
    }

    private static void Signal(int pid, string signal)
    {
        var number = signal switch { "INT" => 2, "TERM" => 15, _ => throw new ArgumentOutOfRangeException(nameof(signal)) };
        _ = Kill(pid, number);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private static void LaunchLoop()
    {
        foreach (var (info, started) in Requests.GetConsumingEnumerable())
        {
            try
            {
                var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {info.FileName}.");
                // Drain the output so a chatty server never blocks on a full pipe.
                process.OutputDataReceived += (_, _) => { };
                process.ErrorDataReceived += (_, _) => { };
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
                Running[process.Id] = process;
                started.SetResult(process);
            }
            catch (Exception exception)
            {
                started.SetException(exception);
            }
        }
    }

    private static void KillAll()
    {
        foreach (var process in Running.Values)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }
    }
}
