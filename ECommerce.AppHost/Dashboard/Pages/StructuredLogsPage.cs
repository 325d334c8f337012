using ECommerce.AppHost.Dashboard.Html;
using ECommerce.AppHost.Telemetry;
using Microsoft.AspNetCore.Http;
using static ECommerce.AppHost.Dashboard.Html.Components;
using static ECommerce.AppHost.Dashboard.Html.HtmlBuilder;

namespace ECommerce.AppHost.Dashboard.Pages;

/// <summary>/logs: the services' structured logs (OTLP), filtered by resource, level, text and trace; refreshes itself.</summary>
internal static class StructuredLogsPage
{
    public static Task HandleAsync(HttpContext context, DashboardServices services)
    {
        var query = ReadQuery(context);
        return PageResponses.WritePageAsync(context,
            () => Table(services, query),
            live => Layout.Page(services, Section.Logs, "Structured logs", H($"""
                {Filters(services, query)}
                <div class="live" data-refresh="3000">{live}</div>
                """)));
    }

    public static LogQuery ReadQuery(HttpContext context) => new(
        PageResponses.Query(context, "resource"),
        Enum.TryParse<LogLevelName>(PageResponses.Query(context, "level"), ignoreCase: true, out var level) ? level : LogLevelName.Trace,
        PageResponses.Query(context, "q"),
        PageResponses.Query(context, "trace"));

    private static Markup Filters(DashboardServices services, LogQuery query) => H($"""
        <form class="filters" method="get" action="/logs">
          {Select("resource", "Resource", [("", "All"), .. services.ServiceNames.Select(n => (n, n))], query.Resource)}
          {Select("level", "Level", Enum.GetValues<LogLevelName>().Select(l => (l == LogLevelName.Trace ? "" : l.ToString(), l == LogLevelName.Trace ? "All" : $"{l} and above")), query.MinLevel == LogLevelName.Trace ? "" : query.MinLevel.ToString())}
          {SearchBox("q", "Search messages, categories and attributes", query.Text)}
          {If(query.TraceId is not null, H($"<label>Trace <input name=\"trace\" value=\"{query.TraceId}\" size=\"12\"></label>"))}
          <button type="submit">Filter</button>
          <a href="/logs">Clear</a>
        </form>
        """);

    private static Markup Table(DashboardServices services, LogQuery query)
    {
        var entries = services.Telemetry.Logs.Query(query);
        if (entries.Count == 0)
        {
            return Empty(services.Telemetry.Logs.Count == 0 ? "No structured logs received yet." : "No log entry matches these filters.");
        }
        return H($"""
            <p class="summary">Newest first: {entries.Count} shown of {services.Telemetry.Logs.Count} kept.</p>
            <table class="grid logs">
              <thead><tr><th>Time</th><th>Resource</th><th>Level</th><th>Message</th><th>Trace</th></tr></thead>
              <tbody>{Each(entries, e => Row(services, e))}</tbody>
            </table>
            """);
    }

    public static Markup Row(DashboardServices services, LogEntry entry) => H($"""
        <tr class="level-row-{entry.Level.ToString().ToLowerInvariant()}">
          <td class="nowrap">{Format.Time(entry.TimeUtc)}</td>
          <td>{ResourceChip(services, entry.Resource)}</td>
          <td>{LevelBadge(entry.Level)}</td>
          <td class="message">
            <details id="log-{entry.Id}">
              <summary><span class="category">{ShortCategory(entry.Category)}</span> {entry.Message}</summary>
              <div class="detail">
                <p class="muted">Category {entry.Category}{(entry.SpanId is null ? Markup.Empty : H($" · span {entry.SpanId}"))}</p>
                {AttributeTable(entry.Attributes)}
              </div>
            </details>
          </td>
          <td class="nowrap">{TraceLink(services, entry.TraceId)}</td>
        </tr>
        """);

    /// <summary>A link to the entry's trace when its spans were received (a health probe's trace, say, is not recorded).</summary>
    private static Markup TraceLink(DashboardServices services, string? traceId) => traceId switch
    {
        null => Markup.Empty,
        _ when services.Telemetry.Traces.Contains(traceId) =>
            H($"<a class=\"trace-link\" href=\"/traces/{traceId}\" title=\"{traceId}\">{Format.ShortId(traceId)}</a>"),
        _ => H($"<span class=\"trace-id muted\" title=\"Trace {traceId} was not recorded\">{Format.ShortId(traceId)}</span>"),
    };

    /// <summary>"Storefront.Services.ServiceStatusChecker" reads as "ServiceStatusChecker"; the full name is in the details.</summary>
    private static string ShortCategory(string category) =>
        category.LastIndexOf('.') is var dot and >= 0 ? category[(dot + 1)..] : category;
}
