namespace ForecastWorker.Services;

/// <summary>
/// Which days of sales a pull fetches: everything since the last pulled day, starting a few days earlier to catch
/// orders cancelled since (<see cref="ForecastingSettings.RepullDays"/>), never before the kept history, up to
/// yesterday (today is not over yet), in requests of at most <see cref="ForecastingSettings.PullChunkDays"/> days.
/// </summary>
/// <param name="From">First day fetched.</param>
/// <param name="To">Last day fetched (yesterday).</param>
/// <param name="KeepFrom">First day of the stored history afterwards; older days are deleted.</param>
/// <param name="Chunks">The requests, oldest first, covering From..To without gaps or overlaps.</param>
public sealed record SalesPullPlan(DateOnly From, DateOnly To, DateOnly KeepFrom, IReadOnlyList<(DateOnly From, DateOnly To)> Chunks)
{
    /// <param name="coveredFrom">First day pulled so far, or null before the first pull.</param>
    /// <param name="coveredTo">Last day pulled so far, or null before the first pull.</param>
    /// <param name="today">Today (UTC).</param>
    public static SalesPullPlan Create(DateOnly? coveredFrom, DateOnly? coveredTo, DateOnly today, int historyDays, int repullDays, int chunkDays)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(historyDays, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(repullDays);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkDays, 1);

        var to = today.AddDays(-1);
        var earliest = to.AddDays(1 - historyDays);
        DateOnly from, keepFrom;
        if (coveredFrom is not { } first || coveredTo is not { } last || last < earliest.AddDays(-1) || first > last)
        {
            // Nothing yet, or the stored days end before the window (a long outage): pull the whole window again.
            from = keepFrom = earliest;
        }
        else
        {
            // Again from a few days before the last pulled day (or its next day with no re-pull); not past yesterday.
            var again = last.AddDays(repullDays == 0 ? 1 : 1 - repullDays);
            from = Max(earliest, again > to ? to : again);
            keepFrom = Max(earliest, first);
        }

        var chunks = new List<(DateOnly, DateOnly)>();
        for (var start = from; start <= to; start = start.AddDays(chunkDays))
        {
            var end = start.AddDays(chunkDays - 1);
            chunks.Add((start, end < to ? end : to));
        }
        return new SalesPullPlan(from, to, keepFrom, chunks);
    }

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;
}
