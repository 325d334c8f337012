using Storefront.Services;

namespace Storefront.Auth;

/// <summary>
/// An anonymous shopper's favourites: product ids, newest first, in a cookie (<c>.summit.favourites</c>, "12-40-7").
/// The heart writes it from the browser (<c>wwwroot/favourites.js</c>), the server reads it while prerendering (so the
/// hearts are drawn right at once) and at sign-in, which merges it into the account (OrderingApi
/// <c>/api/favourites/merge</c>) and deletes it, as the anonymous cart is merged. Not HttpOnly: the page writes it, and
/// it holds nothing but public product ids.
/// </summary>
public static class FavouritesCookie
{
    public const string Name = ".summit.favourites";

    /// <summary>How many favourites a browser keeps before signing in (about 350 bytes of cookie).</summary>
    public const int Limit = 50;

    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(90);

    /// <summary>The product ids in a cookie value; anything that is not one is left out.</summary>
    public static List<int> Parse(string? value) => ProductIdsCookie.Parse(value, Limit);

    public static string Format(IEnumerable<int> productIds) => ProductIdsCookie.Format(productIds, Limit);

    public static List<int> Read(HttpContext context) => Parse(context.Request.Cookies[Name]);

    public static void Delete(HttpContext context) =>
        context.Response.Cookies.Delete(Name, new CookieOptions { Path = "/", SameSite = SameSiteMode.Lax, Secure = context.Request.IsHttps });
}
