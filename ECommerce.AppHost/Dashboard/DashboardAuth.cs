using System.Security.Cryptography;
using System.Text;
using ECommerce.AppHost.Dashboard.Html;
using Microsoft.AspNetCore.Http;
using static ECommerce.AppHost.Dashboard.Html.HtmlBuilder;

namespace ECommerce.AppHost.Dashboard;

/// <summary>
/// Sign-in with the token printed at start, as Aspire's dashboard does: /login?t=TOKEN (or the form)
/// sets an HttpOnly, SameSite=Strict cookie. Tools may send "Authorization: Bearer TOKEN" instead.
/// Without either, pages redirect to the sign-in form and everything else answers 401.
/// </summary>
internal sealed class DashboardAuth(string token, Func<int> port)
{
    private readonly byte[] _token = Encoding.UTF8.GetBytes(token);

    /// <summary>What the cookie holds: derived from the token, so the token itself is never stored in the browser.</summary>
    private readonly string _session = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(token), "dashboard-session"u8));

    /// <summary>Cookies are not per port: the port in the name keeps two dashboards on one machine apart.</summary>
    public string CookieName => $"ecommerce_dashboard_{port()}";

    public static bool IsPublic(PathString path) =>
        path.StartsWithSegments("/login") || path.StartsWithSegments("/assets");

    public bool IsSignedIn(HttpRequest request)
    {
        if (request.Cookies.TryGetValue(CookieName, out var cookie) && FixedTimeEquals(cookie, _session))
        {
            return true;
        }
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && IsToken(authorization["Bearer ".Length..].Trim());
    }

    public bool IsToken(string? candidate) =>
        candidate is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), _token);

    /// <summary>A page asked for by a browser goes to the sign-in form; anything else gets a 401.</summary>
    public static Task ChallengeAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) && request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.Redirect(Components.Url("/login", ("returnUrl", request.Path + request.QueryString)));
            return Task.CompletedTask;
        }
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return context.Response.WriteAsync("Sign in to the dashboard first: open the login URL the AppHost printed.");
    }

    /// <summary>GET /login?t=TOKEN signs in and redirects; without t it shows the form.</summary>
    public Task LoginFromLinkAsync(HttpContext context)
    {
        var request = context.Request;
        var returnUrl = LocalPath(request.Query["returnUrl"]);
        if (!request.Query.TryGetValue("t", out var candidate))
        {
            return WriteFormAsync(context, returnUrl, error: null);
        }
        if (!IsToken(candidate))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return WriteFormAsync(context, returnUrl, "That token is not the one of this run. Use the link the AppHost printed.");
        }
        SignIn(context, returnUrl);
        return Task.CompletedTask;
    }

    /// <summary>POST /login with the pasted token.</summary>
    public async Task LoginFromFormAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var returnUrl = LocalPath(form["returnUrl"]);
        if (!IsToken(form["token"].ToString().Trim()))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await WriteFormAsync(context, returnUrl, "That token is not the one of this run.");
            return;
        }
        SignIn(context, returnUrl);
    }

    public Task LogoutAsync(HttpContext context)
    {
        context.Response.Cookies.Delete(CookieName, new CookieOptions { Path = "/" });
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
        context.Response.Headers.Location = "/login";
        return Task.CompletedTask;
    }

    private void SignIn(HttpContext context, string returnUrl)
    {
        context.Response.Cookies.Append(CookieName, _session, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Path = "/",
            IsEssential = true,
        });
        // 303: after a POST the browser follows with a GET; the token leaves the address bar either way.
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
        context.Response.Headers.Location = returnUrl;
    }

    /// <summary>Only a path on this dashboard (never another site): "/resources", not "//evil" or "https://...".</summary>
    private static string LocalPath(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) ? url : "/resources";

    private static Task WriteFormAsync(HttpContext context, string returnUrl, string? error)
    {
        var page = Layout.Bare("Sign in", H($"""
            <form class="login" method="post" action="/login">
              <h1>ECommerce dashboard</h1>
              <p>Open the link the AppHost printed at start, or paste its token (<code>t=…</code>; also in the state file under <code>dashboard.token</code>).</p>
              {(error is null ? Markup.Empty : H($"<p class=\"error\">{error}</p>"))}
              <input type="hidden" name="returnUrl" value="{returnUrl}">
              <label>Token <input type="password" name="token" autocomplete="off" autofocus required></label>
              <button type="submit" class="primary">Sign in</button>
            </form>
            """));
        return PageResponses.WriteHtmlAsync(context, page);
    }

    private static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
