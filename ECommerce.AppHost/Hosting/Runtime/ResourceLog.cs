namespace ECommerce.AppHost.Hosting.Runtime;

/// <summary>One line a resource wrote to its console.</summary>
public sealed record LogLine(DateTimeOffset Time, string Resource, string Text, bool IsError);

/// <summary>A console line with its number in the resource's log (1 for the first line of the session).</summary>
public readonly record struct NumberedLogLine(long Number, LogLine Line);

/// <summary>The recent console lines of one resource, over every run of it (bounded: oldest first out).</summary>
public sealed class ResourceLog(int capacity = 10_000)
{
    private readonly Queue<NumberedLogLine> _lines = new();
    private readonly Lock _lock = new();
    private long _lastNumber;

    public void Add(LogLine line)
    {
        lock (_lock)
        {
            if (_lines.Count == capacity)
            {
                _lines.Dequeue();
            }
            _lines.Enqueue(new NumberedLogLine(++_lastNumber, line));
        }
    }

    public IReadOnlyList<LogLine> Tail(int count)
    {
        lock (_lock)
        {
            return _lines.Skip(Math.Max(0, _lines.Count - count)).Select(l => l.Line).ToList();
        }
    }

    /// <summary>Lines numbered after <paramref name="afterNumber"/> (0: from the oldest kept), at most <paramref name="max"/> of the newest.</summary>
    public IReadOnlyList<NumberedLogLine> Since(long afterNumber, int max)
    {
        lock (_lock)
        {
            var newer = _lines.Where(l => l.Number > afterNumber).ToList();
            return newer.Count > max ? newer.GetRange(newer.Count - max, max) : newer;
        }
    }
}
