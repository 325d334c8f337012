using ECommerce.AppHost.Dashboard.Html;
using ECommerce.AppHost.Hosting.Runtime;
using Microsoft.AspNetCore.Http;
using static ECommerce.AppHost.Dashboard.Html.Components;
using static ECommerce.AppHost.Dashboard.Html.HtmlBuilder;

namespace ECommerce.AppHost.Dashboard.Pages;

/// <summary>/resources: every resource with its state, uptime, restarts, endpoints and actions; refreshes itself.</summary>
internal static class ResourcesPage
{
    public static Task HandleAsync(HttpContext context, DashboardServices services) =>
        PageResponses.WritePageAsync(context,
            () => Table(services),
            live => Layout.Page(services, Section.Resources, "Resources", H($"""
                <div class="live" data-refresh="2000">{live}</div>
                """)));

    private static Markup Table(DashboardServices services)
    {
        var resources = services.App.Resources;
        var healthy = resources.Count(r => r.State == ResourceState.Healthy);
        return H($"""
            <p class="summary">{resources.Count} resources · {healthy} healthy{(healthy == resources.Count ? Markup.Empty : H($" · <strong>{resources.Count - healthy} not healthy</strong>"))}</p>
            <table class="grid resources">
              <thead><tr><th>Resource</th><th>Type</th><th>State</th><th>Uptime</th><th class="num">Restarts</th><th class="num">PID</th><th>Endpoints</th><th>Actions</th></tr></thead>
              <tbody>
                {Each(resources, r => Row(services, r))}
              </tbody>
            </table>
            """);
    }

    private static Markup Row(DashboardServices services, ResourceSnapshot resource)
    {
        var isService = resource.Urls.Any(u => u.StartsWith("http", StringComparison.Ordinal));
        var running = resource.State != ResourceState.Exited;
        var uptime = running && resource.StartedAt is { } started ? Format.Uptime(DateTimeOffset.Now - started) : "–";
        var name = resource.Name;
        return H($"""
            <tr data-resource="{name}">
              <td><a class="resource-link" href="/resources/{name}">{ResourceChip(services, name)}</a></td>
              <td class="muted">{services.App.GetDetails(name).Kind}</td>
              <td>{StateBadge(resource.State)}{(resource.ExitCode is { } code && !running ? H($" <span class=\"muted\">exit code {code}</span>") : Markup.Empty)}</td>
              <td>{uptime}</td>
              <td class="num">{resource.Restarts}</td>
              <td class="num">{(resource.Pid is { } pid ? pid.ToString(System.Globalization.CultureInfo.InvariantCulture) : "–")}</td>
              <td>{Each(resource.Urls, Endpoint)}</td>
              <td class="actions">
                {Action(name, "stop", "Stop", running)}
                {Action(name, "start", "Start", !running)}
                {Action(name, "restart", "Restart", true)}
                <span class="links">
                  <a href="/console/{name}">Console</a>
                  {If(isService, H($"<a href=\"{Url("/logs", ("resource", name))}\">Logs</a> <a href=\"{Url("/traces", ("resource", name))}\">Traces</a> <a href=\"/metrics/{name}\">Metrics</a>"))}
                  <a href="/resources/{name}">Details</a>
                </span>
              </td>
            </tr>
            """);
    }

    private static Markup Endpoint(string url) =>
        url.StartsWith("http", StringComparison.Ordinal)
            ? H($"<a class=\"endpoint\" href=\"{url}\" target=\"_blank\" rel=\"noopener\">{url}</a>")
            : H($"<code class=\"endpoint\">{url}</code>");

    private static Markup Action(string resource, string action, string label, bool enabled) => H($"""
        <form method="post" action="/resources/{resource}/{action}" class="inline" data-confirm-busy>
          <button type="submit" class="small"{(enabled ? Markup.Empty : new Markup(" disabled"))}>{label}</button>
        </form>
        """);
}
