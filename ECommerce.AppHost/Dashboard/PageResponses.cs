using System.Text.Json;
using ECommerce.AppHost.Dashboard.Html;
using Microsoft.AspNetCore.Http;

namespace ECommerce.AppHost.Dashboard;

/// <summary>Writing pages, page fragments and JSON.</summary>
internal static class PageResponses
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    public static Task WriteHtmlAsync(HttpContext context, Markup html)
    {
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(html.Value, context.RequestAborted);
    }

    /// <summary>
    /// A page, or only its live part when the page's script asks for it (?fragment=1) to refresh
    /// in place. The fragment is the same markup the page embeds, so both always agree.
    /// </summary>
    public static Task WritePageAsync(HttpContext context, Func<Markup> fragment, Func<Markup, Markup> page) =>
        WriteHtmlAsync(context, IsFragmentRequest(context.Request) ? fragment() : page(fragment()));

    public static bool IsFragmentRequest(HttpRequest request) => request.Query["fragment"] == "1";

    public static Task WriteJsonAsync<T>(HttpContext context, T value, int statusCode = StatusCodes.Status200OK)
    {
        context.Response.StatusCode = statusCode;
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsJsonAsync(value, Json, context.RequestAborted);
    }

    public static Task NotFoundAsync(HttpContext context, string message)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return context.Response.WriteAsync(message, context.RequestAborted);
    }

    public static string? Query(HttpContext context, string name) =>
        context.Request.Query[name].ToString() is { Length: > 0 } value ? value.Trim() : null;

    public static string Route(HttpContext context, string name) =>
        context.Request.RouteValues[name] as string ?? "";
}
