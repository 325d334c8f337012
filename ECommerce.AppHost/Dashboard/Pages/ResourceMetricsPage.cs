using ECommerce.AppHost.Dashboard.Html;
using ECommerce.AppHost.Telemetry;
using Microsoft.AspNetCore.Http;
using static ECommerce.AppHost.Dashboard.Html.Components;
using static ECommerce.AppHost.Dashboard.Html.HtmlBuilder;

namespace ECommerce.AppHost.Dashboard.Pages;

/// <summary>/metrics/{name}: every instrument a service reports; one chosen instrument as a chart with its series.</summary>
internal static class ResourceMetricsPage
{
    public static Task HandleAsync(HttpContext context, DashboardServices services)
    {
        var resource = PageResponses.Route(context, "name");
        var minutes = MetricsPage.ReadWindow(context);
        var instrument = PageResponses.Query(context, "instrument");
        var instruments = services.Telemetry.Metrics.Instruments(resource);
        return PageResponses.WritePageAsync(context,
            () => InstrumentView(services, resource, instrument, ChartWindow.Ending(DateTime.UtcNow, TimeSpan.FromMinutes(minutes))),
            live => Layout.Page(services, Section.Metrics, $"Metrics: {resource}", H($"""
                <nav class="tabs">
                  {Each(services.ServiceNames, n => H($"<a href=\"/metrics/{n}\"{(n == resource ? new Markup(" class=\"active\"") : Markup.Empty)}>{n}</a>"))}
                </nav>
                {MetricsPage.WindowPicker($"/metrics/{resource}", minutes, instrument)}
                <div class="split">
                  <aside class="instruments">
                    <a href="/metrics/{resource}"{(instrument is null ? new Markup(" class=\"active\"") : Markup.Empty)}>HTTP overview</a>
                    {Each(instruments.GroupBy(i => i.Scope), g => H($"""
                      <h3>{g.Key}</h3>
                      {Each(g, i => H($"<a href=\"{Url($"/metrics/{resource}", ("instrument", i.Name), ("window", minutes.ToString(System.Globalization.CultureInfo.InvariantCulture)))}\"{(i.Name == instrument ? new Markup(" class=\"active\"") : Markup.Empty)} title=\"{i.Description}\">{i.Name}</a>"))}
                      """))}
                    {If(instruments.Count == 0, Empty("No metrics received from this resource."))}
                  </aside>
                  <div class="live grow" data-refresh="5000">{live}</div>
                </div>
                """)));
    }

    private static Markup InstrumentView(DashboardServices services, string resource, string? instrument, ChartWindow window)
    {
        if (instrument is null)
        {
            return HttpServerMetrics.For(services.Telemetry.Metrics, resource, window) is { } http
                ? H($"<h2>HTTP requests</h2><div class=\"chart-pair\">{MetricsPage.HttpCharts(http)}</div>")
                : Empty("No HTTP metrics received from this resource yet.");
        }
        if (services.Telemetry.Metrics.Read(resource, instrument, window.StartUtc) is not { } snapshot)
        {
            return Empty($"{resource} has not reported {instrument}.");
        }
        var info = snapshot.Info;
        return H($"""
            <h2>{info.Name}</h2>
            <p class="muted">{info.Description} · {info.Kind}{(info.Unit.Length > 0 ? H($" · unit {info.Unit}") : Markup.Empty)} · {info.SeriesCount} series · meter {info.Scope}</p>
            <div class="chart-pair">{Charts(snapshot, window)}</div>
            <h3>Series</h3>
            <table class="grid">
              <thead><tr><th>Attributes</th><th class="num">{LatestHeader(info.Kind)}</th></tr></thead>
              <tbody>{Each(snapshot.Series, s => H($"<tr><td>{Attributes(s)}</td><td class=\"num\">{Latest(info, s, window)}</td></tr>"))}</tbody>
            </table>
            """);
    }

    private static Markup Charts(InstrumentSnapshot snapshot, ChartWindow window)
    {
        var info = snapshot.Info;
        var unit = info.Unit.Trim('{', '}');
        return info.Kind switch
        {
            InstrumentKind.Counter => SvgChart.Render($"Rate ({unit}/s)", window,
                [new ChartLine("per second", "l0", MetricAggregation.Rate(snapshot.Series, window))], Format.Number),
            InstrumentKind.Histogram => H($"""
                {SvgChart.Render("Measurements per second", window,
                    [new ChartLine("count/s", "l0", MetricAggregation.Rate(snapshot.Series, window))], Format.Number)}
                {SvgChart.Render($"Percentiles ({unit})", window,
                    [new ChartLine("p50", "l1", MetricAggregation.Percentile(snapshot.Series, window, 0.5)),
                     new ChartLine("p95", "l2", MetricAggregation.Percentile(snapshot.Series, window, 0.95))], Format.Number)}
                """),
            _ => SvgChart.Render($"Value ({unit})", window,
                [new ChartLine("sum over series", "l0", MetricAggregation.Value(snapshot.Series, window))], Format.Number),
        };
    }

    private static string LatestHeader(InstrumentKind kind) => kind switch
    {
        InstrumentKind.Counter => "Increase in window",
        InstrumentKind.Histogram => "Count in window",
        _ => "Latest value",
    };

    private static string Latest(InstrumentInfo info, SeriesSnapshot series, ChartWindow window) => info.Kind switch
    {
        InstrumentKind.Counter or InstrumentKind.Histogram => Format.Number(MetricAggregation.Count([series], window)),
        _ => series.Points.Count == 0 ? "–" : Format.Number(series.Points[^1].Value),
    };

    private static Markup Attributes(SeriesSnapshot series) =>
        series.Attributes.Count == 0
            ? H($"<span class=\"muted\">(no attributes)</span>")
            : Each(series.Attributes, a => H($"<span class=\"attr\">{a.Key}=<strong>{a.Value}</strong></span> "));
}
