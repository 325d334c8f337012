using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ForecastWorker.Infrastructure;

/// <summary>The worker's own spans and metrics, named after the application ("ForecastWorker") so ServiceDefaults collects them.</summary>
internal static class ForecastTelemetry
{
    public const string Name = "ForecastWorker";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    public static readonly Counter<long> SeriesFitted = Meter.CreateCounter<long>(
        "forecast.series.fitted", description: "Series forecast by runs, tagged with the winning model.");

    public static readonly Histogram<double> RunDuration = Meter.CreateHistogram<double>(
        "forecast.run.duration", unit: "s", description: "Wall time of complete forecast runs.");
}
