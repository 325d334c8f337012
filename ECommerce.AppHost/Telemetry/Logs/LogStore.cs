namespace ECommerce.AppHost.Telemetry;

/// <summary>Structured log records of every resource, bounded: the oldest record goes first.</summary>
internal sealed class LogStore(int maxLogs)
{
    private readonly Lock _lock = new();
    private readonly RingBuffer<LogEntry> _entries = new(maxLogs);
    private long _nextId;
    private long _dropped;

    public int Count
    {
        get { lock (_lock) { return _entries.Count; } }
    }

    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Numbers each entry (the id is ignored on the way in).</summary>
    public void Add(IEnumerable<LogEntry> entries)
    {
        lock (_lock)
        {
            foreach (var entry in entries)
            {
                if (_entries.Add(entry with { Id = ++_nextId }))
                {
                    _dropped++;
                }
            }
        }
    }

    public IReadOnlyList<LogEntry> Query(LogQuery query)
    {
        lock (_lock)
        {
            return _entries.NewestFirst()
                .Where(e => e.Level >= query.MinLevel)
                .Where(e => query.Resource is not { Length: > 0 } resource || e.Resource == resource)
                .Where(e => query.TraceId is not { Length: > 0 } traceId || string.Equals(e.TraceId, traceId, StringComparison.OrdinalIgnoreCase))
                .Where(e => query.Text is not { Length: > 0 } text || Matches(e, text))
                .Take(query.Limit)
                .ToList();
        }
    }

    private static bool Matches(LogEntry entry, string text) =>
        entry.Message.Contains(text, StringComparison.OrdinalIgnoreCase)
        || entry.Category.Contains(text, StringComparison.OrdinalIgnoreCase)
        || entry.Attributes.AnyValueContains(text);
}
