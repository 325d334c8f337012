namespace Storefront.Auth;

/// <summary>Where to go after signing in: only a path of this shop (never another site: no open redirects).</summary>
public static class ReturnUrlRules
{
    public static string Safe(string? returnUrl) =>
        returnUrl is { Length: > 0 and < 2000 } url
        && url[0] == '/'
        && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.Contains("://", StringComparison.Ordinal)
        && !url.StartsWith("/account/log", StringComparison.OrdinalIgnoreCase)
            ? url
            : "/";
}
