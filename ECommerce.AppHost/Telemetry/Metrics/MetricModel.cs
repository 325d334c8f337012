namespace ECommerce.AppHost.Telemetry;

public enum InstrumentKind
{
    Gauge,
    Counter,
    UpDownCounter,
    Histogram,
}

/// <summary>What an instrument is, without its points.</summary>
public sealed record InstrumentInfo(string Name, string Description, string Unit, InstrumentKind Kind, string Scope, int SeriesCount);

/// <summary>
/// One export of one series. Counters and histograms hold what changed since the previous export
/// (deltas, whatever temporality the sender used); gauges and up-down counters hold the current value.
/// </summary>
/// <param name="Value">Counter: the increase; gauge, up-down counter: the value.</param>
/// <param name="Count">Histogram: measurements recorded in the interval.</param>
/// <param name="Sum">Histogram: their sum.</param>
/// <param name="Bounds">Histogram: the bucket upper bounds (shared between points).</param>
/// <param name="Buckets">Histogram: measurements per bucket in the interval; null when Count is 0.</param>
public readonly record struct MetricPoint(DateTime TimeUtc, double Value, double Count, double Sum, double[]? Bounds, double[]? Buckets);

/// <summary>A copy of a series' points for a chart.</summary>
public sealed record SeriesSnapshot(IReadOnlyList<KeyValuePair<string, string>> Attributes, IReadOnlyList<MetricPoint> Points);

public sealed record InstrumentSnapshot(InstrumentInfo Info, IReadOnlyList<SeriesSnapshot> Series);
