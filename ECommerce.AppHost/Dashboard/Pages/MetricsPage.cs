using ECommerce.AppHost.Dashboard.Html;
using ECommerce.AppHost.Telemetry;
using Microsoft.AspNetCore.Http;
using static ECommerce.AppHost.Dashboard.Html.Components;
using static ECommerce.AppHost.Dashboard.Html.HtmlBuilder;

namespace ECommerce.AppHost.Dashboard.Pages;

/// <summary>/metrics: request rate, latency and errors of every service (from http.server.request.duration); refreshes itself.</summary>
internal static class MetricsPage
{
    public static readonly int[] WindowMinutes = [1, 5, 10];

    public static Task HandleAsync(HttpContext context, DashboardServices services)
    {
        var minutes = ReadWindow(context);
        return PageResponses.WritePageAsync(context,
            () => Cards(services, ChartWindow.Ending(DateTime.UtcNow, TimeSpan.FromMinutes(minutes))),
            live => Layout.Page(services, Section.Metrics, "Metrics", H($"""
                {WindowPicker("/metrics", minutes)}
                <p class="muted">HTTP requests each service served (ASP.NET Core's http.server.request.duration), without the AppHost's health probes. Errors are 5xx answers.</p>
                <div class="live" data-refresh="5000">{live}</div>
                """)));
    }

    public static int ReadWindow(HttpContext context) =>
        int.TryParse(PageResponses.Query(context, "window"), out var minutes) && WindowMinutes.Contains(minutes) ? minutes : 5;

    public static Markup WindowPicker(string path, int minutes, string? instrument = null) => H($"""
        <nav class="tabs small">
          {Each(WindowMinutes, m => H($"<a href=\"{Url(path, ("window", m.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("instrument", instrument))}\"{(m == minutes ? new Markup(" class=\"active\"") : Markup.Empty)}>Last {m} min</a>"))}
        </nav>
        """);

    private static Markup Cards(DashboardServices services, ChartWindow window) => H($"""
        <div class="cards">
          {Each(services.ServiceNames, name => Card(services, name, window))}
        </div>
        """);

    private static Markup Card(DashboardServices services, string resource, ChartWindow window)
    {
        var http = HttpServerMetrics.For(services.Telemetry.Metrics, resource, window);
        return H($"""
            <section class="card metric-card">
              <header>{ResourceChip(services, resource)} <a href="/metrics/{resource}">All instruments</a></header>
              {http switch
              {
                  null => Empty("No HTTP metrics received yet."),
                  { TotalRequests: 0 } => Empty($"No requests in the last {window.Length.TotalMinutes:0} min (health probes are not counted)."),
                  _ => HttpCharts(http),
              }}
            </section>
            """);
    }

    /// <summary>The three figures and two charts of a service's HTTP traffic.</summary>
    public static Markup HttpCharts(HttpServerMetrics http) => H($"""
        <dl class="figures">
          <div><dt>Requests</dt><dd>{Format.Rate(http.AverageRequestsPerSecond)}</dd></div>
          <div><dt>p50</dt><dd>{Format.Milliseconds(http.P50)}</dd></div>
          <div><dt>p95</dt><dd>{Format.Milliseconds(http.P95)}</dd></div>
          <div><dt>Errors</dt><dd{(http.TotalErrors > 0 ? new Markup(" class=\"error\"") : Markup.Empty)}>{Format.Percent(http.ErrorRatio)}</dd></div>
        </dl>
        {SvgChart.Render("Requests per second", http.Window,
            [new ChartLine("requests/s", "l0", http.RequestsPerSecond), new ChartLine("errors/s (5xx)", "l3", http.ErrorsPerSecond)],
            Format.Number)}
        {SvgChart.Render("Latency", http.Window,
            [new ChartLine("p50", "l1", http.P50Milliseconds), new ChartLine("p95", "l2", http.P95Milliseconds)],
            v => Format.Milliseconds(v))}
        """);
}
