using System.Globalization;

namespace ECommerce.AppHost.Telemetry;

/// <summary>
/// How much telemetry the dashboard keeps in memory; when a cap is reached the oldest goes first.
/// Each can be set with an environment variable of the AppHost, e.g. Dashboard__TelemetryLimits__MaxSpanCount=50000.
/// </summary>
public sealed record TelemetryLimits
{
    private const string Prefix = "Dashboard__TelemetryLimits__";

    /// <summary>Spans kept over every trace; whole traces are dropped, oldest first.</summary>
    public int MaxSpanCount { get; init; } = 20_000;

    /// <summary>Structured log records kept over every resource.</summary>
    public int MaxLogCount { get; init; } = 10_000;

    /// <summary>Points kept per metric series (one per export, every second: 10 minutes).</summary>
    public int MaxMetricPointsPerSeries { get; init; } = 600;

    /// <summary>Distinct attribute sets per resource over all its instruments; new ones beyond are ignored.</summary>
    public int MaxMetricSeriesPerResource { get; init; } = 2_000;

    /// <summary>Export requests received but not yet stored; beyond, requests are dropped (the app is never slowed).</summary>
    public int MaxQueuedExports { get; init; } = 500;

    public static TelemetryLimits FromEnvironment()
    {
        var defaults = new TelemetryLimits();
        return new TelemetryLimits
        {
            MaxSpanCount = Read(nameof(MaxSpanCount), defaults.MaxSpanCount),
            MaxLogCount = Read(nameof(MaxLogCount), defaults.MaxLogCount),
            MaxMetricPointsPerSeries = Read(nameof(MaxMetricPointsPerSeries), defaults.MaxMetricPointsPerSeries),
            MaxMetricSeriesPerResource = Read(nameof(MaxMetricSeriesPerResource), defaults.MaxMetricSeriesPerResource),
            MaxQueuedExports = Read(nameof(MaxQueuedExports), defaults.MaxQueuedExports),
        };
    }

    private static int Read(string name, int fallback)
    {
        var text = Environment.GetEnvironmentVariable(Prefix + name);
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new Hosting.AppHostException($"{Prefix}{name} must be a positive whole number, not '{text}'.");
    }
}
