using Microsoft.AspNetCore.Http;

namespace ECommerce.AppHost.Dashboard;

/// <summary>Protections for a dashboard that can stop the app's processes from a browser.</summary>
internal static class RequestGuards
{
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        + "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

    /// <summary>
    /// Only names of this machine's loopback (a DNS-rebinding page comes with its own host name).
    /// Any port: a forwarded port (ssh -L, an editor's port forwarding) shows up under another number.
    /// </summary>
    public static bool IsLoopbackHost(HostString host) =>
        host.Host is "127.0.0.1" or "localhost" or "[::1]" or "::1";

    /// <summary>
    /// A state-changing request must come from a dashboard page. A browser says where a request comes
    /// from in Sec-Fetch-Site (no page can forge it); an older one at least in Origin. Tools that send
    /// neither are no browser. The SameSite=Strict cookie already keeps other sites' requests signed
    /// out; this is the second lock.
    /// </summary>
    public static bool IsSameOrigin(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0)
        {
            return site == "same-origin";
        }
        var origin = request.Headers.Origin.ToString();
        return origin.Length == 0 || string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
    }

    public static void AddSecurityHeaders(HttpResponse response)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        // Not "no-referrer": with it a browser sends "Origin: null" even on the dashboard's own form posts.
        headers["Referrer-Policy"] = "same-origin";
    }
}
