using ECommerce.AppHost.Hosting.Runners;

namespace ECommerce.AppHost.Hosting.Runtime;

public enum ResourceState
{
    Starting,
    Running,
    Healthy,
    Unhealthy,
    Exited,
}

/// <summary>One runnable resource while the app runs: its process, state and recent log lines.</summary>
internal sealed class ResourceInstance(ResourceRunner runner)
{
    public ResourceRunner Runner { get; } = runner;

    public RunnableResource Resource => Runner.Resource;

    public string Name => Resource.Name;

    public ResourceLog Log { get; } = new();

    public ResourceState State { get; set; } = ResourceState.Starting;

    public ChildProcess? Process { get; set; }

    /// <summary>What the last start ran (command, folder, environment): shown by the dashboard.</summary>
    public ProcessSpec? Spec { get; set; }

    public int? ExitCode { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public int Starts { get; set; }

    /// <summary>Why the last start failed before a process ran (a message for the user).</summary>
    public string? Failure { get; set; }

    public bool StopRequested { get; set; }

    /// <summary>The latest start, from waiting for dependencies to the process running.</summary>
    public Task? StartTask { get; set; }

    /// <summary>Cancelled when this run ends or is stopped: ends its start-up and its health probes.</summary>
    public CancellationTokenSource? RunCancellation { get; set; }

    public ResourceSnapshot Snapshot() => new(
        Name, State, Resource.Urls, State == ResourceState.Exited ? null : Process?.Pid, ExitCode, StartedAt, Math.Max(0, Starts - 1));
}
