using System.Collections.Concurrent;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ECommerce.AppHost.Local;

/// <summary>
/// Starts a resource again when it crashes (its process ended with a non-zero exit code, or failed to start, without
/// anyone stopping it), after a back-off: 1 s, then doubling up to 30 s while it keeps crashing; a resource that ran
/// for <see cref="StableAfter"/> starts over at 1 s. PostgreSQL or Redis killed by the OS, a service that crashed: each
/// comes back without a person acting, and the services reconnect by themselves. A resource stopped on purpose (the
/// dashboard's Stop, a clean exit) is left stopped. Aspire restarts containers by itself, not executables.
/// </summary>
internal sealed partial class CrashRestarter(
    ResourceNotificationService notifications,
    ResourceCommandService commands,
    IHostApplicationLifetime lifetime,
    ILogger<CrashRestarter> logger) : BackgroundService
{
    /// <summary>How long a resource must run before its next crash counts as a first one again.</summary>
    public static readonly TimeSpan StableAfter = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    // Read by the restarts' own tasks while the watch loop writes.
    private readonly ConcurrentDictionary<string, Tracked> _resources = new(StringComparer.Ordinal);

    private sealed class Tracked
    {
        public volatile string? State;
        public DateTime RunningSince;
        public int Crashes;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var change in notifications.WatchAsync(stoppingToken))
            {
                if (change.Resource is not (ExecutableResource or ProjectResource))
                {
                    continue;
                }
                var state = change.Snapshot.State?.Text;
                // Per instance: each replica of a service crashes and comes back on its own.
                var tracked = _resources.GetOrAdd(change.ResourceId, _ => new Tracked());
                var previous = tracked.State;
                tracked.State = state;
                if (state == previous)
                {
                    continue;
                }
                if (state == KnownResourceStates.Running)
                {
                    tracked.RunningSince = DateTime.UtcNow;
                }
                else if (IsCrash(previous, state, change.Snapshot.ExitCode) && !lifetime.ApplicationStopping.IsCancellationRequested)
                {
                    if (DateTime.UtcNow - tracked.RunningSince >= StableAfter)
                    {
                        tracked.Crashes = 0;
                    }
                    var delay = Backoff(tracked.Crashes++);
                    LogRestarting(change.ResourceId, state!, change.Snapshot.ExitCode, delay.TotalSeconds, tracked.Crashes);
                    _ = RestartAsync(change.ResourceId, delay, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>A process that ended by itself with an error, or could not start; not one stopped on purpose.</summary>
    internal static bool IsCrash(string? previous, string? state, int? exitCode) =>
        previous is not null && previous != KnownResourceStates.Stopping &&
        (state == KnownResourceStates.FailedToStart ||
         (state == KnownResourceStates.Exited || state == KnownResourceStates.Finished) && exitCode is not 0);

    /// <summary>1 s after the first crash, doubling to at most 30 s.</summary>
    internal static TimeSpan Backoff(int earlierCrashes) =>
        TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, FirstDelay.Ticks << Math.Min(earlierCrashes, 10)));

    private async Task RestartAsync(string resourceId, TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, stoppingToken);
            if (_resources.TryGetValue(resourceId, out var tracked) && tracked.State == KnownResourceStates.Running)
            {
                return; // started meanwhile (the dashboard's Start)
            }
            var result = await commands.ExecuteCommandAsync(resourceId, KnownResourceCommands.StartCommand, stoppingToken);
            if (!result.Success)
            {
                LogRestartFailed(resourceId, result.Message ?? "no reason given");
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LogRestartFailed(resourceId, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Resource} crashed ({State}, exit code {ExitCode}); starting it again in {Seconds} s (crash {Crashes} in a row)")]
    private partial void LogRestarting(string resource, string state, int? exitCode, double seconds, int crashes);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not start {Resource} again: {Reason}")]
    private partial void LogRestartFailed(string resource, string reason);
}
