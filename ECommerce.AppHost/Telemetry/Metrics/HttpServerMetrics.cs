using System.Globalization;

namespace ECommerce.AppHost.Telemetry;

/// <summary>
/// Request rate, latency and errors of one service, from ASP.NET Core's http.server.request.duration
/// histogram. The AppHost's health probes (/health, /alive) are left out: they are not the app's traffic.
/// </summary>
public sealed record HttpServerMetrics(
    string Resource,
    ChartWindow Window,
    double?[] RequestsPerSecond,
    double?[] ErrorsPerSecond,
    double?[] P50Milliseconds,
    double?[] P95Milliseconds,
    double TotalRequests,
    double TotalErrors,
    double? P50,
    double? P95)
{
    public const string InstrumentName = "http.server.request.duration";

    private static readonly HashSet<string> ProbeRoutes = new(StringComparer.OrdinalIgnoreCase) { "/health", "/alive" };

    public double ErrorRatio => TotalRequests > 0 ? TotalErrors / TotalRequests : 0;

    /// <summary>Over the part of the window with data (a service started a minute ago has a minute of it).</summary>
    public double AverageRequestsPerSecond
    {
        get
        {
            var seconds = RequestsPerSecond.Count(v => v is not null) * Window.BinSeconds;
            return seconds > 0 ? TotalRequests / seconds : 0;
        }
    }

    internal static HttpServerMetrics? For(MetricStore store, string resource, ChartWindow window)
    {
        if (store.Read(resource, InstrumentName, window.StartUtc) is not { } snapshot)
        {
            return null;
        }
        var requests = snapshot.Series.Where(s => !IsProbe(s)).ToList();
        var errors = requests.Where(IsError).ToList();
        // Seconds to milliseconds (the semantic conventions record seconds).
        var scale = snapshot.Info.Unit == "s" ? 1000 : 1;
        return new HttpServerMetrics(
            resource,
            window,
            MetricAggregation.Rate(requests, window),
            MetricAggregation.Rate(errors, window),
            MetricAggregation.Percentile(requests, window, 0.50).Select(v => v * scale).ToArray(),
            MetricAggregation.Percentile(requests, window, 0.95).Select(v => v * scale).ToArray(),
            MetricAggregation.Count(requests, window),
            MetricAggregation.Count(errors, window),
            MetricAggregation.PercentileOverall(requests, window, 0.50) * scale,
            MetricAggregation.PercentileOverall(requests, window, 0.95) * scale);
    }

    private static bool IsProbe(SeriesSnapshot series) =>
        series.Attributes.Get("http.route") is { } route && ProbeRoutes.Contains(route);

    /// <summary>A server error (5xx) or a request that failed before any status (error.type set).</summary>
    private static bool IsError(SeriesSnapshot series) =>
        int.TryParse(series.Attributes.Get("http.response.status_code"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var status)
            ? status >= 500
            : series.Attributes.Get("error.type") is not null;
}
