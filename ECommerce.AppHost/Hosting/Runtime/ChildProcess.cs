using System.Diagnostics;

namespace ECommerce.AppHost.Hosting.Runtime;

/// <summary>What to run for a resource.</summary>
internal sealed record ProcessSpec(string FileName, IReadOnlyList<string> Arguments)
{
    public string? WorkingDirectory { get; init; }

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Run as this OS user (PostgreSQL refuses to run as root).</summary>
    public string? User { get; init; }

    /// <summary>A Linux capability the process keeps as that user (e.g. dac_read_search).</summary>
    public string? Capability { get; init; }

    /// <summary>The signal that asks the process to stop cleanly (PostgreSQL: SIGINT, a fast shutdown).</summary>
    public int StopSignal { get; init; } = Signals.SigTerm;
}

/// <summary>
/// A running child: its output goes to the resource's log, it dies with the AppHost (even when
/// the AppHost is killed: parent-death signal), and a PID file lets the next run clean up if not.
/// </summary>
internal sealed class ChildProcess
{
    private readonly Process _process;
    private readonly ProcessSpec _spec;
    private readonly string _pidFile;

    private ChildProcess(Process process, ProcessSpec spec, string pidFile)
    {
        _process = process;
        _spec = spec;
        _pidFile = pidFile;
        Pid = process.Id;
        Exited = WaitForExitAsync();
    }

    public int Pid { get; }

    /// <summary>Completes with the exit code when the process has ended and its output is drained.</summary>
    public Task<int> Exited { get; }

    public static async Task<ChildProcess> StartAsync(string resource, ProcessSpec spec, string pidDir, Action<LogLine> onLine)
    {
        // setsid: a session of its own, so a Ctrl+C in the terminal reaches the AppHost only, which
        // then stops the children in order. setpriv: the parent-death signal (and the OS user).
        var info = new ProcessStartInfo
        {
            FileName = "setsid",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = spec.WorkingDirectory ?? Environment.CurrentDirectory,
        };
        info.ArgumentList.Add("setpriv");
        if (spec.User is not null)
        {
            foreach (var arg in (string[])["--reuid", spec.User, "--regid", spec.User, "--init-groups"])
            {
                info.ArgumentList.Add(arg);
            }
            if (spec.Capability is not null)
            {
                foreach (var arg in (string[])["--inh-caps", "+" + spec.Capability, "--ambient-caps", "+" + spec.Capability])
                {
                    info.ArgumentList.Add(arg);
                }
            }
        }
        foreach (var arg in (string[])["--pdeathsig", Signals.Name(spec.StopSignal), "--", spec.FileName, .. spec.Arguments])
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in spec.Environment)
        {
            info.Environment[name] = value;
        }

        Process process;
        try
        {
            process = await ProcessLauncher.StartAsync(info);
        }
        catch (Exception e)
        {
            throw new AppHostException($"Could not start {resource} ({spec.FileName}): {e.Message}");
        }
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) onLine(new LogLine(DateTimeOffset.Now, resource, e.Data, false)); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) onLine(new LogLine(DateTimeOffset.Now, resource, e.Data, true)); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();

        var pidFile = Path.Combine(pidDir, resource + ".pid");
        LeftoverProcesses.Record(pidFile, process.Id, spec.StopSignal);
        return new ChildProcess(process, spec, pidFile);
    }

    /// <summary>Asks the process to stop with its stop signal, then kills it after the grace period.</summary>
    public async Task<int> StopAsync(TimeSpan grace)
    {
        if (!Exited.IsCompleted)
        {
            Signals.Send(Pid, _spec.StopSignal);
            if (await Task.WhenAny(Exited, Task.Delay(grace)) != Exited)
            {
                try
                {
                    _process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // Already gone.
                }
            }
        }
        return await Exited;
    }

    private async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync();
        var code = _process.ExitCode;
        File.Delete(_pidFile);
        _process.Dispose();
        return code;
    }
}
