using ECommerce.AppHost.Dashboard.Html;
using ECommerce.AppHost.Telemetry;
using Microsoft.AspNetCore.Http;
using static ECommerce.AppHost.Dashboard.Html.Components;
using static ECommerce.AppHost.Dashboard.Html.HtmlBuilder;

namespace ECommerce.AppHost.Dashboard.Pages;

/// <summary>/traces: the latest traces across services, filtered by resource, name and errors; refreshes itself.</summary>
internal static class TracesPage
{
    public static Task HandleAsync(HttpContext context, DashboardServices services)
    {
        var query = ReadQuery(context);
        return PageResponses.WritePageAsync(context,
            () => Table(services, query),
            live => Layout.Page(services, Section.Traces, "Traces", H($"""
                <form class="filters" method="get" action="/traces">
                  {Select("resource", "Resource", [("", "All"), .. services.ServiceNames.Select(n => (n, n))], query.Resource)}
                  {SearchBox("q", "Span name or trace id", query.Text)}
                  <label class="check"><input type="checkbox" name="errors" value="1" data-autosubmit{(query.ErrorsOnly ? new Markup(" checked") : Markup.Empty)}> Errors only</label>
                  <button type="submit">Filter</button>
                  <a href="/traces">Clear</a>
                </form>
                <div class="live" data-refresh="3000">{live}</div>
                """)));
    }

    public static TraceQuery ReadQuery(HttpContext context) => new(
        PageResponses.Query(context, "resource"),
        PageResponses.Query(context, "q"),
        PageResponses.Query(context, "errors") == "1");

    private static Markup Table(DashboardServices services, TraceQuery query)
    {
        var traces = services.Telemetry.Traces.List(query);
        if (traces.Count == 0)
        {
            return Empty(services.Telemetry.Traces.TraceCount == 0 ? "No traces received yet." : "No trace matches these filters.");
        }
        var longest = traces.Max(t => t.Duration.Ticks);
        return H($"""
            <p class="summary">Newest first: {traces.Count} shown of {services.Telemetry.Traces.TraceCount} kept ({services.Telemetry.Traces.SpanCount} spans).</p>
            <table class="grid traces">
              <thead><tr><th>Time</th><th>Name</th><th>Resources</th><th class="num">Spans</th><th>Duration</th></tr></thead>
              <tbody>{Each(traces, t => Row(services, t, longest))}</tbody>
            </table>
            """);
    }

    private static Markup Row(DashboardServices services, TraceSummary trace, long longest)
    {
        var width = longest == 0 ? 0 : Math.Max(1, 100.0 * trace.Duration.Ticks / longest);
        return H($"""
            <tr{(trace.ErrorCount > 0 ? new Markup(" class=\"has-error\"") : Markup.Empty)}>
              <td class="nowrap">{Format.Time(trace.StartUtc)}</td>
              <td><a href="/traces/{trace.TraceId}"><strong>{trace.RootResource}:</strong> {trace.RootName}</a>{If(trace.ErrorCount > 0, H($" <span class=\"badge level-error\">{trace.ErrorCount} error{(trace.ErrorCount == 1 ? "" : "s")}</span>"))} <span class="muted id">{Format.ShortId(trace.TraceId)}</span></td>
              <td>{Each(trace.Resources, r => ResourceChip(services, r))}</td>
              <td class="num">{trace.SpanCount}</td>
              <td class="duration"><span class="bar" style="width:{width:0.#}%"></span>{Format.Duration(trace.Duration)}</td>
            </tr>
            """);
    }
}
