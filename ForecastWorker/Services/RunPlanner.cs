namespace ForecastWorker.Services;

public enum RunAction
{
    /// <summary>Nothing to do now.</summary>
    None,
    /// <summary>A run was interrupted (a restart): continue it, keeping the batches it wrote.</summary>
    Resume,
    /// <summary>The interrupted run was interrupted too often, or long ago: mark it failed (and decide again).</summary>
    GiveUp,
    /// <summary>Someone asked for a run: start the queued one.</summary>
    StartQueued,
    /// <summary>A scheduled run is due: queue one and start it.</summary>
    StartScheduled,
}

public sealed record RunDecision(RunAction Action, long? RunId = null);

/// <summary>The runs that matter for the next decision, as stored.</summary>
/// <param name="Running">The run marked running, if any (when this instance holds the run lock, nobody is running it).</param>
/// <param name="RunningAttempts">How many times that run has been started.</param>
/// <param name="Queued">The run waiting to start, if any.</param>
/// <param name="LastStartedAt">When the latest run that did not fail started.</param>
/// <param name="LastFailedAt">When the latest run ended in failure, if it is newer than <paramref name="LastStartedAt"/>.</param>
/// <param name="NoSalesYet">No sale has been pulled yet (a new shop, or its history not written yet).</param>
/// <param name="RunningSince">When the running run first started.</param>
public sealed record RunBook(
    long? Running, int RunningAttempts, long? Queued, DateTimeOffset? LastStartedAt, DateTimeOffset? LastFailedAt,
    bool NoSalesYet = false, DateTimeOffset? RunningSince = null);

/// <summary>
/// Picks what the worker does next, holding the run lock: an interrupted run first (resumed, or given up after too
/// many attempts), then a run someone asked for, then a scheduled run when the interval has passed since the last one
/// (or since this process started, when runs at start are off). After a failure it tries again sooner, and while no
/// sale has been pulled yet it looks again every few minutes (the shop's history may still be on its way).
/// </summary>
public static class RunPlanner
{
    /// <summary>Longest wait before trying again after a failed run.</summary>
    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromMinutes(2);

    /// <summary>Longest wait between runs while no sale has been pulled yet.</summary>
    public static readonly TimeSpan RetryWithoutSales = TimeSpan.FromMinutes(1);

    public static RunDecision Decide(RunBook book, DateTimeOffset now, DateTimeOffset processStartedAt, ScheduleSettings schedule, int maxAttempts)
    {
        if (book.Running is { } running)
        {
            // Resumed unless it failed too often, or is so old that a newer run would be due anyway (a long outage).
            var stale = book.RunningSince is { } since && now - since > schedule.Interval;
            return book.RunningAttempts >= maxAttempts || stale ? new(RunAction.GiveUp, running) : new(RunAction.Resume, running);
        }
        if (book.Queued is { } queued)
        {
            return new(RunAction.StartQueued, queued);
        }
        if (book.LastFailedAt is { } failedAt && now - failedAt < (schedule.Interval < RetryAfterFailure ? schedule.Interval : RetryAfterFailure))
        {
            return new(RunAction.None);
        }
        DateTimeOffset? reference = book.LastStartedAt;
        if (!schedule.RunOnStart && (reference is null || reference < processStartedAt) && book.LastFailedAt is null)
        {
            reference = processStartedAt;
        }
        var interval = book.NoSalesYet && RetryWithoutSales < schedule.Interval ? RetryWithoutSales : schedule.Interval;
        return reference is null || now - reference >= interval || book.LastFailedAt is not null
            ? new(RunAction.StartScheduled)
            : new(RunAction.None);
    }
}
