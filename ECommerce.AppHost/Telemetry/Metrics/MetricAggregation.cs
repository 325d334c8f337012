namespace ECommerce.AppHost.Telemetry;

/// <summary>Sums series into chart bins: rates for counters and histogram counts, values for gauges, percentiles for histograms.</summary>
public static class MetricAggregation
{
    /// <summary>Per second, per bin: counter increases (or histogram counts) over every series; null before any point arrived.</summary>
    public static double?[] Rate(IEnumerable<SeriesSnapshot> series, ChartWindow window)
    {
        var bins = new double?[window.BinCount];
        foreach (var point in series.SelectMany(s => s.Points))
        {
            var bin = window.BinOf(point.TimeUtc);
            if (bin >= 0)
            {
                bins[bin] = (bins[bin] ?? 0) + (point.Bounds is null ? point.Value : point.Count);
            }
        }
        return bins.Select(b => b / window.BinSeconds).ToArray();
    }

    /// <summary>Per bin: the sum over every series of its last value so far (a gauge holds until it changes).</summary>
    public static double?[] Value(IEnumerable<SeriesSnapshot> series, ChartWindow window)
    {
        var bins = new double?[window.BinCount];
        foreach (var s in series)
        {
            var last = new double?[window.BinCount];
            foreach (var point in s.Points)
            {
                var bin = window.BinOf(point.TimeUtc);
                if (bin >= 0)
                {
                    last[bin] = point.Value;
                }
            }
            double? carried = null;
            for (var i = 0; i < bins.Length; i++)
            {
                carried = last[i] ?? carried;
                if (carried is { } value)
                {
                    bins[i] = (bins[i] ?? 0) + value;
                }
            }
        }
        return bins;
    }

    /// <summary>Per bin: the <paramref name="quantile"/> of every measurement of every series (null when none).</summary>
    public static double?[] Percentile(IEnumerable<SeriesSnapshot> series, ChartWindow window, double quantile)
    {
        var merged = MergeBuckets(series, window, out var bounds);
        return merged.Select(buckets => buckets is null ? null : Percentile(bounds!, buckets, quantile)).ToArray();
    }

    /// <summary>The <paramref name="quantile"/> of every measurement in the window.</summary>
    public static double? PercentileOverall(IEnumerable<SeriesSnapshot> series, ChartWindow window, double quantile)
    {
        var merged = MergeBuckets(series, window, out var bounds);
        double[]? total = null;
        foreach (var buckets in merged.OfType<double[]>())
        {
            total ??= new double[buckets.Length];
            for (var i = 0; i < buckets.Length; i++)
            {
                total[i] += buckets[i];
            }
        }
        return total is null ? null : Percentile(bounds!, total, quantile);
    }

    /// <summary>Histogram: measurements recorded in the window over every series.</summary>
    public static double Count(IEnumerable<SeriesSnapshot> series, ChartWindow window) =>
        series.SelectMany(s => s.Points).Where(p => window.BinOf(p.TimeUtc) >= 0).Sum(p => p.Bounds is null ? p.Value : p.Count);

    /// <summary>
    /// Interpolates inside the bucket holding the quantile: bucket i holds (bounds[i-1], bounds[i]];
    /// the first starts at 0, and the last (unbounded) answers its lower bound.
    /// </summary>
    public static double? Percentile(double[] bounds, double[] buckets, double quantile)
    {
        var total = buckets.Sum();
        if (total <= 0)
        {
            return null;
        }
        var target = quantile * total;
        double seen = 0;
        for (var i = 0; i < buckets.Length; i++)
        {
            if (buckets[i] <= 0 || seen + buckets[i] < target)
            {
                seen += buckets[i];
                continue;
            }
            if (i >= bounds.Length)
            {
                return bounds.Length == 0 ? null : bounds[^1];
            }
            var lower = i == 0 ? Math.Min(0, bounds[0]) : bounds[i - 1];
            var upper = bounds[i];
            return lower + (upper - lower) * ((target - seen) / buckets[i]);
        }
        return bounds.Length == 0 ? null : bounds[^1];
    }

    private static double[]?[] MergeBuckets(IEnumerable<SeriesSnapshot> series, ChartWindow window, out double[]? bounds)
    {
        var bins = new double[]?[window.BinCount];
        bounds = null;
        foreach (var point in series.SelectMany(s => s.Points))
        {
            if (point.Buckets is null || point.Bounds is null)
            {
                continue;
            }
            bounds ??= point.Bounds;
            var bin = window.BinOf(point.TimeUtc);
            if (bin < 0 || !ReferenceEquals(point.Bounds, bounds) && !point.Bounds.AsSpan().SequenceEqual(bounds))
            {
                continue; // another bucket layout cannot be merged with this one
            }
            var target = bins[bin] ??= new double[point.Buckets.Length];
            for (var i = 0; i < target.Length && i < point.Buckets.Length; i++)
            {
                target[i] += point.Buckets[i];
            }
        }
        return bins;
    }
}
