using ECommerce.AppHost.Dashboard.Pages;
using ECommerce.AppHost.Telemetry;
using Microsoft.AspNetCore.Http;

namespace ECommerce.AppHost.Dashboard.Api;

/// <summary>
/// The dashboard's data as JSON, for tools and tests (same sign-in as the pages):
/// /api/resources, /api/traces, /api/traces/{id}, /api/logs, /api/metrics/{name}/http, /api/telemetry.
/// </summary>
internal static class DashboardApi
{
    public static Task ResourcesAsync(HttpContext context, DashboardServices services) =>
        PageResponses.WriteJsonAsync(context, services.App.Resources);

    public static Task TracesAsync(HttpContext context, DashboardServices services) =>
        PageResponses.WriteJsonAsync(context, services.Telemetry.Traces.List(TracesPage.ReadQuery(context)));

    public static Task TraceAsync(HttpContext context, DashboardServices services)
    {
        var traceId = PageResponses.Route(context, "traceId");
        return services.Telemetry.Traces.Get(traceId) is { } spans
            ? PageResponses.WriteJsonAsync(context, new { traceId, spans = spans.Select(SpanJson) })
            : PageResponses.NotFoundAsync(context, $"No trace {traceId}.");
    }

    public static Task LogsAsync(HttpContext context, DashboardServices services) =>
        PageResponses.WriteJsonAsync(context, services.Telemetry.Logs.Query(StructuredLogsPage.ReadQuery(context)).Select(e => new
        {
            e.Id, e.TimeUtc, e.Resource, e.Level, e.Category, e.Message, e.TraceId, e.SpanId,
            attributes = AsObject(e.Attributes),
        }));

    public static Task HttpMetricsAsync(HttpContext context, DashboardServices services)
    {
        var resource = PageResponses.Route(context, "name");
        var window = ChartWindow.Ending(DateTime.UtcNow, TimeSpan.FromMinutes(MetricsPage.ReadWindow(context)));
        return HttpServerMetrics.For(services.Telemetry.Metrics, resource, window) is { } http
            ? PageResponses.WriteJsonAsync(context, new
            {
                resource, windowSeconds = window.Length.TotalSeconds, http.TotalRequests, http.TotalErrors,
                p50Milliseconds = http.P50, p95Milliseconds = http.P95, http.RequestsPerSecond, http.ErrorsPerSecond,
            })
            : PageResponses.NotFoundAsync(context, $"No HTTP metrics from {resource} yet.");
    }

    /// <summary>How much is kept and what was dropped: the caps at work.</summary>
    public static Task TelemetryAsync(HttpContext context, DashboardServices services)
    {
        var telemetry = services.Telemetry;
        return PageResponses.WriteJsonAsync(context, new
        {
            limits = telemetry.Limits,
            spans = telemetry.Traces.SpanCount,
            traces = telemetry.Traces.TraceCount,
            droppedSpans = telemetry.Traces.DroppedSpans,
            logs = telemetry.Logs.Count,
            droppedLogs = telemetry.Logs.Dropped,
            exportsReceived = services.Ingestor.Received,
            exportsDropped = services.Ingestor.Dropped,
            exportsInvalid = services.Ingestor.Invalid,
        });
    }

    private static object SpanJson(SpanRecord span) => new
    {
        span.SpanId, span.ParentSpanId, span.Name, span.Kind, span.Resource, span.Scope, span.StartUtc,
        durationMilliseconds = span.Duration.TotalMilliseconds, span.Status, span.StatusMessage,
        attributes = AsObject(span.Attributes),
    };

    /// <summary>Attributes as a JSON object; a key sent twice (log scopes can repeat one) keeps its first value.</summary>
    private static Dictionary<string, string> AsObject(IReadOnlyList<KeyValuePair<string, string>> attributes)
    {
        var result = new Dictionary<string, string>(attributes.Count, StringComparer.Ordinal);
        foreach (var (key, value) in attributes)
        {
            result.TryAdd(key, value);
        }
        return result;
    }
}
