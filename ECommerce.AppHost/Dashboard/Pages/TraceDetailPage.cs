using ECommerce.AppHost.Dashboard.Html;
using ECommerce.AppHost.Telemetry;
using Microsoft.AspNetCore.Http;
using static ECommerce.AppHost.Dashboard.Html.Components;
using static ECommerce.AppHost.Dashboard.Html.HtmlBuilder;

namespace ECommerce.AppHost.Dashboard.Pages;

/// <summary>/traces/{id}: the spans of one trace across services as a waterfall, with their details and logs.</summary>
internal static class TraceDetailPage
{
    public static Task HandleAsync(HttpContext context, DashboardServices services)
    {
        var traceId = PageResponses.Route(context, "traceId");
        var spans = services.Telemetry.Traces.Get(traceId);
        if (spans is null)
        {
            var missing = Layout.Page(services, Section.Traces, "Trace not found", H($"""
                <p>No trace <code>{traceId}</code>: it has not arrived yet (spans are sent about every second), or it was dropped to stay within {services.Telemetry.Limits.MaxSpanCount} spans.</p>
                <p><a href="/traces">All traces</a></p>
                """));
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return PageResponses.WriteHtmlAsync(context, missing);
        }
        var rows = Waterfall.Layout(spans);
        var start = spans.Min(s => s.StartUtc);
        var duration = spans.Max(s => s.EndUtc) - start;
        var resources = spans.Select(s => s.Resource).Distinct().ToList();
        var root = rows[0].Span;
        var logs = services.Telemetry.Logs.Query(new LogQuery(TraceId: traceId, Limit: 200));
        var body = H($"""
            <section class="card">
              <dl class="facts">
                <dt>Trace</dt><dd><code>{traceId}</code></dd>
                <dt>Started</dt><dd>{Format.Time(start)}</dd>
                <dt>Duration</dt><dd>{Format.Duration(duration)}</dd>
                <dt>Spans</dt><dd>{spans.Count}{If(spans.Any(s => s.IsError), H($" · <span class=\"badge level-error\">{spans.Count(s => s.IsError)} with errors</span>"))}</dd>
                <dt>Resources</dt><dd>{Each(resources, r => ResourceChip(services, r))}</dd>
              </dl>
            </section>
            <div class="waterfall">
              <div class="wf-head"><div class="wf-name">Span</div><div class="wf-timeline">{Ticks(duration)}</div></div>
              {Each(rows, r => Row(services, r))}
            </div>
            <h2>Logs in this trace</h2>
            {(logs.Count == 0
                ? Empty("No structured log entry carries this trace id.")
                : H($"""
                  <table class="grid logs">
                    <thead><tr><th>Time</th><th>Resource</th><th>Level</th><th>Message</th><th>Trace</th></tr></thead>
                    <tbody>{Each(logs.Reverse(), e => StructuredLogsPage.Row(services, e))}</tbody>
                  </table>
                  """))}
            """);
        return PageResponses.WriteHtmlAsync(context, Layout.Page(services, Section.Traces, $"{root.Resource}: {root.Name}", body));
    }

    /// <summary>
    /// What a span's name leaves out: where an HTTP call went ("→ catalog-api /alive", the address
    /// turned back into the resource's name) or the statement of a database call.
    /// </summary>
    private static string? Detail(DashboardServices services, SpanRecord span)
    {
        if (span.Kind == SpanKindName.Client && span.Attributes.Get("url.full") is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            var target = services.ResourceAt(uri) ?? uri.Authority;
            return $"→ {target} {uri.AbsolutePath}";
        }
        if ((span.Attributes.Get("db.query.text") ?? span.Attributes.Get("db.statement")) is { Length: > 0 } statement)
        {
            var line = statement.ReplaceLineEndings(" ");
            return line.Length > 90 ? line[..90] + "…" : line;
        }
        return null;
    }

    private static Markup Ticks(TimeSpan duration) =>
        Each(new[] { 0, 25, 50, 75, 100 }, percent => H($"<span class=\"tick\" style=\"left:{percent}%\">{Format.Duration(duration * (percent / 100.0))}</span>"));

    private static Markup Row(DashboardServices services, WaterfallRow row)
    {
        var span = row.Span;
        var detail = Detail(services, span);
        return H($"""
            <details class="wf-row{(span.IsError ? new Markup(" has-error") : Markup.Empty)}" id="span-{span.SpanId}">
              <summary>
                <div class="wf-name" style="padding-left:{row.Depth * 16 + 6}px" title="{span.Resource}: {span.Name}">
                  {ResourceChip(services, span.Resource)} <span class="span-name">{span.Name}</span>{If(detail is not null, H($"<span class=\"span-detail\">{detail}</span>"))}
                  {If(row.ParentMissing, H($" <span class=\"muted\" title=\"The parent span {span.ParentSpanId} has not been received\">(orphan)</span>"))}
                </div>
                <div class="wf-timeline">
                  <span class="wf-bar {services.ColorClass(span.Resource)}" style="left:{row.OffsetPercent:0.###}%;width:{Math.Max(row.WidthPercent, 0.15):0.###}%">
                    <span class="wf-label">{Format.Duration(span.Duration)}</span>
                  </span>
                </div>
              </summary>
              <div class="wf-detail">
                <dl class="facts">
                  <dt>Span</dt><dd><code>{span.SpanId}</code> · {span.Kind} · {span.Scope}</dd>
                  <dt>Status</dt><dd>{span.Status}{(span.StatusMessage is null ? Markup.Empty : H($": {span.StatusMessage}"))}</dd>
                  <dt>Start</dt><dd>{Format.Time(span.StartUtc)} · {Format.Duration(span.Duration)}</dd>
                </dl>
                {AttributeTable(span.Attributes)}
                {If(span.Events.Count > 0, H($"""
                  <h3>Events</h3>
                  {Each(span.Events, e => H($"<p><strong>{e.Name}</strong> at {Format.Time(e.TimeUtc)}</p>{AttributeTable(e.Attributes)}"))}
                  """))}
              </div>
            </details>
            """);
    }
}
