namespace Storefront.Auth;

/// <summary>
/// Gives every anonymous visitor a cart id (a GUID in an HttpOnly cookie) on their first page, so the cart they fill
/// before signing in is found again, and merged into their own cart when they sign in (see <see cref="AccountService"/>).
/// </summary>
public static class CartCookie
{
    public static IApplicationBuilder UseAnonymousCartCookie(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (HttpMethods.IsGet(context.Request.Method)
            && context.User.Identity?.IsAuthenticated != true
            && UserSession.CartIdFromRequest(context) is null
            && IsPage(context.Request))
        {
            var cartId = Guid.NewGuid();
            context.Items[UserSession.CartCookieName] = cartId;
            context.Response.Cookies.Append(UserSession.CartCookieName, cartId.ToString(), Options(context));
        }
        await next();
    });

    public static void Delete(HttpContext context) =>
        context.Response.Cookies.Delete(UserSession.CartCookieName, Options(context));

    private static CookieOptions Options(HttpContext context) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Secure = context.Request.IsHttps,
        IsEssential = true,
        MaxAge = TimeSpan.FromDays(30),
        Path = "/",
    };

    /// <summary>Page requests only: not the framework's files, the circuit, images or the storefront's APIs.</summary>
    private static bool IsPage(HttpRequest request)
    {
        var path = request.Path.Value ?? "/";
        return !path.StartsWith("/_", StringComparison.Ordinal)
            && !path.StartsWith("/api/", StringComparison.Ordinal)
            && !Path.HasExtension(path);
    }
}
