using ECommerce.AppHost.Dashboard.Html;
using Microsoft.AspNetCore.Http;
using static ECommerce.AppHost.Dashboard.Html.Components;
using static ECommerce.AppHost.Dashboard.Html.HtmlBuilder;

namespace ECommerce.AppHost.Dashboard.Pages;

/// <summary>/resources/{name}: how the resource runs (command, folder, environment), secrets masked.</summary>
internal static class ResourceDetailsPage
{
    public static Task HandleAsync(HttpContext context, DashboardServices services)
    {
        var name = PageResponses.Route(context, "name");
        if (!services.ResourceNames.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            return PageResponses.NotFoundAsync(context, $"No resource named {name}.");
        }
        var snapshot = services.App.GetResource(name);
        var details = services.App.GetDetails(name);
        var environment = details.Environment.OrderBy(e => e.Key, StringComparer.Ordinal).ToList();
        var body = H($"""
            <section class="card">
              <dl class="facts">
                <dt>Resource</dt><dd>{ResourceChip(services, snapshot.Name)} <span class="muted">{details.Kind}</span></dd>
                <dt>State</dt><dd>{StateBadge(snapshot.State)}</dd>
                <dt>Endpoints</dt><dd>{string.Join(" ", snapshot.Urls)}</dd>
                {If(details.Source is not null, H($"<dt>Source</dt><dd><code>{details.Source}</code></dd>"))}
                <dt>Command</dt><dd>{(details.Command is null ? H($"<span class=\"muted\">not started yet</span>") : H($"<code class=\"wrap\">{SecretMasker.MaskCommandLine(details.Command, details.Arguments)}</code>"))}</dd>
                {If(details.WorkingDirectory is not null, H($"<dt>Folder</dt><dd><code>{details.WorkingDirectory}</code></dd>"))}
                {If(details.Failure is not null, H($"<dt>Last failure</dt><dd class=\"error\">{details.Failure}</dd>"))}
              </dl>
              <p class="links"><a href="/console/{name}">Console</a> <a href="/resources">All resources</a></p>
            </section>
            <h2>Environment</h2>
            {(environment.Count == 0
                ? Empty("No variables of its own: it inherits the AppHost's environment.")
                : H($"""
                  <p class="muted">Secrets are masked: passwords in connection strings, and every variable named like *PASSWORD*, *SECRET*, *TOKEN* or *KEY*.</p>
                  <table class="grid env">
                    <thead><tr><th>Name</th><th>Value</th></tr></thead>
                    <tbody>{Each(environment, e => H($"<tr><td><code>{e.Key}</code></td><td><code class=\"wrap\">{SecretMasker.MaskVariable(e.Key, e.Value)}</code></td></tr>"))}</tbody>
                  </table>
                  """))}
            """);
        return PageResponses.WriteHtmlAsync(context, Layout.Page(services, Section.Resources, name, body));
    }
}
