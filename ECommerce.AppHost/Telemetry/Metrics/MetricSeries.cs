namespace ECommerce.AppHost.Telemetry;

/// <summary>
/// The points of one attribute set of one instrument, bounded. Cumulative values are turned into
/// deltas here, once, when they arrive; a new start time (a restarted process) starts over.
/// </summary>
internal sealed class MetricSeries(IReadOnlyList<KeyValuePair<string, string>> attributes, int capacity)
{
    private readonly RingBuffer<MetricPoint> _points = new(capacity);
    private ulong _startTime;
    private bool _hasPrevious;
    private double _previousValue;
    private double _previousCount;
    private double _previousSum;
    private ulong[]? _previousBuckets;

    public IReadOnlyList<KeyValuePair<string, string>> Attributes { get; } = attributes;

    public void AddValue(DateTime time, double value) => _points.Add(new MetricPoint(time, value, 0, 0, null, null));

    public void AddCounter(DateTime time, ulong startTime, double value, bool cumulative)
    {
        var delta = value;
        if (cumulative)
        {
            var continues = _hasPrevious && startTime == _startTime && value >= _previousValue;
            delta = continues ? value - _previousValue : value;
            Remember(startTime);
            _previousValue = value;
        }
        _points.Add(new MetricPoint(time, delta, 0, 0, null, null));
    }

    public void AddHistogram(DateTime time, ulong startTime, ulong count, double sum, double[] bounds, IReadOnlyList<ulong> buckets, bool cumulative)
    {
        double countDelta = count, sumDelta = sum;
        double[]? bucketDeltas = null;
        var continues = cumulative && _hasPrevious && startTime == _startTime && count >= _previousCount
            && _previousBuckets is not null && _previousBuckets.Length == buckets.Count;
        if (continues)
        {
            countDelta = count - _previousCount;
            sumDelta = sum - _previousSum;
        }
        if (countDelta > 0 && buckets.Count > 0)
        {
            bucketDeltas = new double[buckets.Count];
            for (var i = 0; i < buckets.Count; i++)
            {
                bucketDeltas[i] = continues ? buckets[i] - (double)_previousBuckets![i] : buckets[i];
            }
        }
        if (cumulative)
        {
            Remember(startTime);
            _previousCount = count;
            _previousSum = sum;
            _previousBuckets = [.. buckets];
        }
        _points.Add(new MetricPoint(time, 0, countDelta, sumDelta, bounds, bucketDeltas));
    }

    public SeriesSnapshot Snapshot(DateTime sinceUtc) =>
        new(Attributes, _points.OldestFirst().Where(p => p.TimeUtc >= sinceUtc).ToList());

    public MetricPoint? Latest => _points.Count == 0 ? null : _points.Last;

    private void Remember(ulong startTime)
    {
        _startTime = startTime;
        _hasPrevious = true;
    }
}
