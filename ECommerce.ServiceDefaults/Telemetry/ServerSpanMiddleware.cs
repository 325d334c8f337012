using System.Diagnostics;
using ECommerce.ServiceDefaults.Health;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace ECommerce.ServiceDefaults.Telemetry;

/// <summary>
/// ASP.NET Core starts a server span for each request but, without the instrumentation package, puts no
/// attributes on it. This middleware adds the usual HTTP semantic-convention attributes and a
/// "GET /api/catalog/products/{id}"-style name, and stops probes of /health and /alive that start a trace
/// (an orchestrator's, the AppHost's) from being recorded at all: their child spans, e.g. the SELECT 1
/// of a database check, are then dropped too. A probe made inside a trace (the storefront's status page
/// calling each backend's /alive) is recorded, so that trace shows both sides of the call.
/// </summary>
internal sealed class ServerSpanMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var activity = context.Features.Get<IHttpActivityFeature>()?.Activity;
        if (activity is null)
        {
            await next(context);
            return;
        }

        if (HealthEndpoints.IsProbe(context.Request.Path) && !activity.HasRemoteParent)
        {
            activity.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
            activity.IsAllDataRequested = false;
            await next(context);
            return;
        }

        if (!activity.IsAllDataRequested)
        {
            await next(context);
            return;
        }

        var request = context.Request;
        activity.SetTag("http.request.method", request.Method);
        activity.SetTag("url.scheme", request.Scheme);
        activity.SetTag("url.path", request.Path.Value);
        activity.SetTag("server.address", request.Host.Host);
        activity.SetTag("server.port", request.Host.Port);
        activity.SetTag("network.protocol.version", ProtocolVersion(request.Protocol));
        if (request.Headers.UserAgent.ToString() is { Length: > 0 } userAgent)
        {
            activity.SetTag("user_agent.original", userAgent);
        }

        try
        {
            await next(context);
        }
        catch (Exception exception)
        {
            activity.SetTag("error.type", exception.GetType().FullName);
            activity.SetStatus(ActivityStatusCode.Error, exception.Message);
            throw;
        }
        finally
        {
            var statusCode = context.Response.StatusCode;
            activity.SetTag("http.response.status_code", statusCode);

            var route = RouteTemplate(context);
            if (route is not null)
            {
                activity.SetTag("http.route", route);
            }

            activity.DisplayName = route is null ? request.Method : $"{request.Method} {route}";

            if (statusCode >= 500)
            {
                activity.SetTag("error.type", statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
                activity.SetStatus(ActivityStatusCode.Error);
            }
        }
    }

    private static string? RouteTemplate(HttpContext context) =>
        (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText is { } raw
            ? raw.StartsWith('/') ? raw : "/" + raw
            : null;

    private static string ProtocolVersion(string protocol) => protocol switch
    {
        "HTTP/1.1" => "1.1",
        "HTTP/2" => "2",
        "HTTP/3" => "3",
        "HTTP/1.0" => "1.0",
        _ => protocol,
    };
}
