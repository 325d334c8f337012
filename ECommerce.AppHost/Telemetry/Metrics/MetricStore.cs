using ECommerce.AppHost.Telemetry.Otlp;

namespace ECommerce.AppHost.Telemetry;

/// <summary>
/// Every instrument of every resource with a bounded history per attribute set. Gauges, sums and
/// explicit-bucket histograms are kept; summaries and exponential histograms are not shown.
/// </summary>
internal sealed class MetricStore(TelemetryLimits limits)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ResourceInstruments> _resources = new(StringComparer.Ordinal);

    public void Add(ExportMetricsServiceRequest request)
    {
        lock (_lock)
        {
            foreach (var resourceMetrics in request.ResourceMetrics)
            {
                var name = OtlpConverter.ResourceName(resourceMetrics.Resource);
                if (!_resources.TryGetValue(name, out var resource))
                {
                    resource = new ResourceInstruments();
                    _resources.Add(name, resource);
                }
                foreach (var scopeMetrics in resourceMetrics.ScopeMetrics)
                {
                    foreach (var metric in scopeMetrics.Metrics)
                    {
                        AddMetric(resource, scopeMetrics.Scope?.Name ?? "", metric);
                    }
                }
            }
        }
    }

    public IReadOnlyList<string> Resources
    {
        get { lock (_lock) { return _resources.Keys.Order(StringComparer.Ordinal).ToList(); } }
    }

    public IReadOnlyList<InstrumentInfo> Instruments(string resource)
    {
        lock (_lock)
        {
            return _resources.TryGetValue(resource, out var instruments)
                ? instruments.All.Values.Select(i => i.Info).OrderBy(i => i.Name, StringComparer.Ordinal).ToList()
                : [];
        }
    }

    public InstrumentSnapshot? Read(string resource, string instrument, DateTime sinceUtc)
    {
        lock (_lock)
        {
            if (!_resources.TryGetValue(resource, out var instruments) || !instruments.All.TryGetValue(instrument, out var data))
            {
                return null;
            }
            return new InstrumentSnapshot(data.Info, data.Series.Values.Select(s => s.Snapshot(sinceUtc)).ToList());
        }
    }

    private void AddMetric(ResourceInstruments resource, string scope, Metric metric)
    {
        var kind = metric.DataCase switch
        {
            Metric.DataOneofCase.Gauge => InstrumentKind.Gauge,
            Metric.DataOneofCase.Sum => metric.Sum.IsMonotonic ? InstrumentKind.Counter : InstrumentKind.UpDownCounter,
            Metric.DataOneofCase.Histogram => InstrumentKind.Histogram,
            _ => (InstrumentKind?)null,
        };
        if (kind is null)
        {
            return;
        }
        if (!resource.All.TryGetValue(metric.Name, out var instrument))
        {
            instrument = new InstrumentData(metric.Name, metric.Description, metric.Unit, kind.Value, scope);
            resource.All.Add(metric.Name, instrument);
        }

        switch (metric.DataCase)
        {
            case Metric.DataOneofCase.Gauge:
                foreach (var point in metric.Gauge.DataPoints)
                {
                    SeriesFor(resource, instrument, point.Attributes)?.AddValue(OtlpConverter.Time(point.TimeUnixNano), Value(point));
                }
                break;
            case Metric.DataOneofCase.Sum:
                var cumulative = metric.Sum.AggregationTemporality == AggregationTemporality.Cumulative;
                foreach (var point in metric.Sum.DataPoints)
                {
                    var series = SeriesFor(resource, instrument, point.Attributes);
                    var time = OtlpConverter.Time(point.TimeUnixNano);
                    if (metric.Sum.IsMonotonic)
                    {
                        series?.AddCounter(time, point.StartTimeUnixNano, Value(point), cumulative);
                    }
                    else
                    {
                        series?.AddValue(time, Value(point));
                    }
                }
                break;
            case Metric.DataOneofCase.Histogram:
                var cumulativeHistogram = metric.Histogram.AggregationTemporality == AggregationTemporality.Cumulative;
                foreach (var point in metric.Histogram.DataPoints)
                {
                    SeriesFor(resource, instrument, point.Attributes)?.AddHistogram(
                        OtlpConverter.Time(point.TimeUnixNano), point.StartTimeUnixNano, point.Count, point.HasSum ? point.Sum : 0,
                        instrument.Bounds(point.ExplicitBounds), point.BucketCounts, cumulativeHistogram);
                }
                break;
        }
    }

    private MetricSeries? SeriesFor(ResourceInstruments resource, InstrumentData instrument, Google.Protobuf.Collections.RepeatedField<KeyValue> attributes)
    {
        var list = OtlpConverter.Attributes(attributes);
        var key = string.Join('\u001f', list.Select(a => a.Key + "=" + a.Value).Order(StringComparer.Ordinal));
        if (instrument.Series.TryGetValue(key, out var series))
        {
            return series;
        }
        if (resource.SeriesCount >= limits.MaxMetricSeriesPerResource)
        {
            return null;
        }
        series = new MetricSeries(list, limits.MaxMetricPointsPerSeries);
        instrument.Series.Add(key, series);
        resource.SeriesCount++;
        return series;
    }

    private static double Value(NumberDataPoint point) =>
        point.ValueCase == NumberDataPoint.ValueOneofCase.AsInt ? point.AsInt : point.AsDouble;

    private sealed class ResourceInstruments
    {
        public Dictionary<string, InstrumentData> All { get; } = new(StringComparer.Ordinal);

        public int SeriesCount { get; set; }
    }

    private sealed class InstrumentData(string name, string description, string unit, InstrumentKind kind, string scope)
    {
        private double[] _bounds = [];

        public Dictionary<string, MetricSeries> Series { get; } = new(StringComparer.Ordinal);

        public InstrumentInfo Info => new(name, description, unit, kind, scope, Series.Count);

        /// <summary>One shared array while the bounds stay the same (they nearly always do).</summary>
        public double[] Bounds(IReadOnlyList<double> bounds)
        {
            var same = _bounds.Length == bounds.Count;
            for (var i = 0; same && i < bounds.Count; i++)
            {
                same = _bounds[i] == bounds[i];
            }
            if (!same)
            {
                _bounds = [.. bounds];
            }
            return _bounds;
        }
    }
}
