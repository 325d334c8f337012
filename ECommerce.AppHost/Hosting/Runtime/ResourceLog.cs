namespace ECommerce.AppHost.Hosting.Runtime;

/// <summary>One line a resource wrote to its console.</summary>
public sealed record LogLine(DateTimeOffset Time, string Resource, string Text, bool IsError);

/// <summary>The recent console lines of one resource (bounded: oldest first out).</summary>
public sealed class ResourceLog(int capacity = 2000)
{
    private readonly Queue<LogLine> _lines = new();
    private readonly Lock _lock = new();

    public void Add(LogLine line)
    {
        lock (_lock)
        {
            if (_lines.Count == capacity)
            {
                _lines.Dequeue();
            }
            _lines.Enqueue(line);
        }
    }

    public IReadOnlyList<LogLine> Tail(int count)
    {
        lock (_lock)
        {
            return _lines.Skip(Math.Max(0, _lines.Count - count)).ToList();
        }
    }
}
