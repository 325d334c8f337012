using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace ECommerce.AppHost.Dashboard;

/// <summary>The stylesheet and script, embedded in the AppHost assembly and served with a version in the URL.</summary>
internal static class Assets
{
    private static readonly Dictionary<string, (byte[] Content, string ContentType)> Files = new(StringComparer.Ordinal)
    {
        ["dashboard.css"] = (Read("dashboard.css"), "text/css; charset=utf-8"),
        ["dashboard.js"] = (Read("dashboard.js"), "text/javascript; charset=utf-8"),
    };

    /// <summary>Changes whenever an asset does, so browsers may cache them for good.</summary>
    public static string Version { get; } = Convert.ToHexStringLower(
        SHA256.HashData(Files.Values.SelectMany(f => f.Content).ToArray()))[..12];

    public static async Task ServeAsync(HttpContext context)
    {
        var name = context.Request.RouteValues["file"] as string ?? "";
        if (!Files.TryGetValue(name, out var file))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        context.Response.ContentType = file.ContentType;
        context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        await context.Response.Body.WriteAsync(file.Content, context.RequestAborted);
    }

    private static byte[] Read(string name)
    {
        using var stream = typeof(Assets).Assembly.GetManifestResourceStream($"Dashboard.Assets.{name}")
            ?? throw new InvalidOperationException($"The dashboard asset {name} is not embedded.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
