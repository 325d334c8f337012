namespace ECommerce.AppHost.Telemetry;

/// <summary>
/// Spans grouped by trace. Bounded by span count: when full, whole traces go, the oldest first
/// (by when their first span arrived).
/// </summary>
internal sealed class TraceStore(int maxSpans)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, TraceData> _traces = new(StringComparer.Ordinal);
    private readonly Queue<TraceData> _arrival = new();
    private int _spanCount;
    private long _droppedSpans;

    public int SpanCount
    {
        get { lock (_lock) { return _spanCount; } }
    }

    public int TraceCount
    {
        get { lock (_lock) { return _traces.Count; } }
    }

    /// <summary>Spans pushed out by the cap since the start.</summary>
    public long DroppedSpans => Interlocked.Read(ref _droppedSpans);

    public void Add(IEnumerable<SpanRecord> spans)
    {
        lock (_lock)
        {
            foreach (var span in spans)
            {
                if (!_traces.TryGetValue(span.TraceId, out var trace))
                {
                    trace = new TraceData(span.TraceId);
                    _traces.Add(span.TraceId, trace);
                    _arrival.Enqueue(trace);
                }
                if (trace.Add(span))
                {
                    _spanCount++;
                }
            }
            while (_spanCount > maxSpans && _arrival.TryDequeue(out var oldest))
            {
                _traces.Remove(oldest.TraceId);
                _spanCount -= oldest.Spans.Count;
                Interlocked.Add(ref _droppedSpans, oldest.Spans.Count);
            }
        }
    }

    public IReadOnlyList<TraceSummary> List(TraceQuery query)
    {
        lock (_lock)
        {
            return _traces.Values
                .Where(t => query.Resource is not { Length: > 0 } resource || t.Resources.Contains(resource))
                .Where(t => !query.ErrorsOnly || t.ErrorCount > 0)
                .Where(t => query.Text is not { Length: > 0 } text || t.Matches(text))
                .OrderByDescending(t => t.StartUtc)
                .Take(query.Limit)
                .Select(t => t.Summarize())
                .ToList();
        }
    }

    public bool Contains(string traceId)
    {
        lock (_lock)
        {
            return _traces.ContainsKey(traceId);
        }
    }

    /// <summary>The spans of one trace, in start order; null when unknown (or already dropped).</summary>
    public IReadOnlyList<SpanRecord>? Get(string traceId)
    {
        lock (_lock)
        {
            return _traces.TryGetValue(traceId.ToLowerInvariant(), out var trace)
                ? trace.Spans.OrderBy(s => s.StartUtc).ToList()
                : null;
        }
    }

    private sealed class TraceData(string traceId)
    {
        private readonly HashSet<string> _spanIds = new(StringComparer.Ordinal);
        private SpanRecord? _root;

        public string TraceId { get; } = traceId;

        public List<SpanRecord> Spans { get; } = [];

        public SortedSet<string> Resources { get; } = new(StringComparer.Ordinal);

        public DateTime StartUtc { get; private set; } = DateTime.MaxValue;

        public DateTime EndUtc { get; private set; } = DateTime.MinValue;

        public int ErrorCount { get; private set; }

        public bool Add(SpanRecord span)
        {
            if (!_spanIds.Add(span.SpanId))
            {
                return false; // a retried export
            }
            Spans.Add(span);
            Resources.Add(span.Resource);
            StartUtc = span.StartUtc < StartUtc ? span.StartUtc : StartUtc;
            EndUtc = span.EndUtc > EndUtc ? span.EndUtc : EndUtc;
            ErrorCount += span.IsError ? 1 : 0;
            if (_root is null || IsBetterRoot(span, _root))
            {
                _root = span;
            }
            return true;
        }

        /// <summary>The root is the span without a parent; until it arrives, the earliest span stands in.</summary>
        private static bool IsBetterRoot(SpanRecord candidate, SpanRecord current)
        {
            var candidateIsRoot = candidate.ParentSpanId is null;
            var currentIsRoot = current.ParentSpanId is null;
            return candidateIsRoot != currentIsRoot ? candidateIsRoot : candidate.StartUtc < current.StartUtc;
        }

        public bool Matches(string text) =>
            TraceId.StartsWith(text, StringComparison.OrdinalIgnoreCase)
            || Spans.Any(s => s.Name.Contains(text, StringComparison.OrdinalIgnoreCase));

        public TraceSummary Summarize() => new(
            TraceId, _root!.Name, _root.Resource, StartUtc, EndUtc - StartUtc, Spans.Count, ErrorCount, Resources.ToList());
    }
}
