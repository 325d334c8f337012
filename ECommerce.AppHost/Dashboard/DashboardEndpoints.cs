using ECommerce.AppHost.Dashboard.Api;
using ECommerce.AppHost.Dashboard.Pages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ECommerce.AppHost.Dashboard;

/// <summary>Every page, action and JSON endpoint of the dashboard (plain request delegates: nothing to compile at start).</summary>
internal static class DashboardEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints, DashboardServices services, DashboardAuth auth, Action<string> reportError)
    {
        RequestDelegate Page(Func<HttpContext, DashboardServices, Task> handler) => context => handler(context, services);

        endpoints.MapGet("/login", auth.LoginFromLinkAsync);
        endpoints.MapPost("/login", auth.LoginFromFormAsync);
        endpoints.MapPost("/logout", auth.LogoutAsync);
        endpoints.MapGet("/assets/{file}", Assets.ServeAsync);

        endpoints.MapGet("/", context =>
        {
            context.Response.Redirect("/resources");
            return Task.CompletedTask;
        });
        endpoints.MapGet("/resources", Page(ResourcesPage.HandleAsync));
        endpoints.MapGet("/resources/{name}", Page(ResourceDetailsPage.HandleAsync));
        endpoints.MapPost("/resources/{name}/{action}", context => ResourceActions.HandleAsync(context, services, reportError));
        endpoints.MapGet("/console/{name?}", Page(ConsolePage.HandleAsync));
        endpoints.MapGet("/logs", Page(StructuredLogsPage.HandleAsync));
        endpoints.MapGet("/traces", Page(TracesPage.HandleAsync));
        endpoints.MapGet("/traces/{traceId}", Page(TraceDetailPage.HandleAsync));
        endpoints.MapGet("/metrics", Page(MetricsPage.HandleAsync));
        endpoints.MapGet("/metrics/{name}", Page(ResourceMetricsPage.HandleAsync));

        endpoints.MapGet("/api/resources", Page(DashboardApi.ResourcesAsync));
        endpoints.MapGet("/api/console/{name}", Page(ConsolePage.ApiAsync));
        endpoints.MapGet("/api/logs", Page(DashboardApi.LogsAsync));
        endpoints.MapGet("/api/traces", Page(DashboardApi.TracesAsync));
        endpoints.MapGet("/api/traces/{traceId}", Page(DashboardApi.TraceAsync));
        endpoints.MapGet("/api/metrics/{name}/http", Page(DashboardApi.HttpMetricsAsync));
        endpoints.MapGet("/api/telemetry", Page(DashboardApi.TelemetryAsync));
    }
}
