using static ECommerce.AppHost.Dashboard.Html.HtmlBuilder;

namespace ECommerce.AppHost.Dashboard.Html;

internal enum Section
{
    Resources,
    Console,
    Logs,
    Traces,
    Metrics,
}

/// <summary>The page frame: header with the sections, the body, and the two static assets.</summary>
internal static class Layout
{
    private static readonly (Section Section, string Path, string Label)[] Sections =
    [
        (Section.Resources, "/resources", "Resources"),
        (Section.Console, "/console", "Console"),
        (Section.Logs, "/logs", "Structured logs"),
        (Section.Traces, "/traces", "Traces"),
        (Section.Metrics, "/metrics", "Metrics"),
    ];

    /// <summary>An inline SVG icon: no extra request, nothing for the CSP to allow.</summary>
    private const string Icon = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Crect width='16' height='16' rx='3' fill='%23334155'/%3E%3Cpath d='M3 11l3-4 3 2 4-5' stroke='%2338bdf8' stroke-width='2' fill='none'/%3E%3C/svg%3E";

    public static Markup Page(DashboardServices services, Section active, string title, Markup body) => H($"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>{title} · ECommerce dashboard</title>
          <link rel="icon" href="{Icon}">
          <link rel="stylesheet" href="/assets/dashboard.css?v={Assets.Version}">
          <script src="/assets/dashboard.js?v={Assets.Version}" defer></script>
        </head>
        <body>
          <header class="topbar">
            <a class="brand" href="/resources"><img src="{Icon}" alt="" width="18" height="18"> ECommerce <span>dashboard</span></a>
            <nav>
              {Each(Sections, s => H($"<a href=\"{s.Path}\"{(s.Section == active ? new Markup(" class=\"active\" aria-current=\"page\"") : Markup.Empty)}>{s.Label}</a>"))}
            </nav>
            <form class="signout" method="post" action="/logout"><button type="submit" class="link">Sign out</button></form>
          </header>
          {Banner(services)}
          <main>
            <h1>{title}</h1>
            {body}
          </main>
        </body>
        </html>
        """);

    /// <summary>A bare page (the sign-in form) without the sections.</summary>
    public static Markup Bare(string title, Markup body) => H($"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>{title} · ECommerce dashboard</title>
          <link rel="icon" href="{Icon}">
          <link rel="stylesheet" href="/assets/dashboard.css?v={Assets.Version}">
        </head>
        <body class="bare">
          <main>{body}</main>
        </body>
        </html>
        """);

    private static Markup Banner(DashboardServices services) =>
        services.ExternalOtlpEndpoint is { } external
            ? H($"<div class=\"banner\">OTEL_EXPORTER_OTLP_ENDPOINT is set to <code>{external}</code>: the services send their telemetry there, so structured logs, traces and metrics stay empty here.</div>")
            : Markup.Empty;
}
