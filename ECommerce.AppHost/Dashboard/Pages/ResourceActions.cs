using Microsoft.AspNetCore.Http;

namespace ECommerce.AppHost.Dashboard.Pages;

/// <summary>
/// POST /resources/{name}/stop|start|restart. The action runs in the background (a stop may take a
/// few seconds); a browser is sent back to the list, which shows the state change, a tool gets 202.
/// </summary>
internal static class ResourceActions
{
    public static Task HandleAsync(HttpContext context, DashboardServices services, Action<string> reportError)
    {
        var name = PageResponses.Route(context, "name");
        var action = PageResponses.Route(context, "action");
        var app = services.App;
        if (!services.ResourceNames.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            return PageResponses.NotFoundAsync(context, $"No resource named {name}.");
        }
        Func<Task>? run = action switch
        {
            "stop" => () => app.StopResourceAsync(name),
            "start" => () => app.StartResourceAsync(name),
            "restart" => () => app.RestartResourceAsync(name),
            _ => null,
        };
        if (run is null)
        {
            return PageResponses.NotFoundAsync(context, $"No action {action}: use stop, start or restart.");
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await run();
            }
            catch (Exception e)
            {
                reportError($"Dashboard: {action} {name} failed: {e.Message}");
            }
        });

        var fromForm = context.Request.HasFormContentType;
        if (fromForm)
        {
            context.Response.StatusCode = StatusCodes.Status303SeeOther;
            context.Response.Headers.Location = "/resources";
            return Task.CompletedTask;
        }
        return PageResponses.WriteJsonAsync(context, new { resource = name, action, accepted = true }, StatusCodes.Status202Accepted);
    }
}
