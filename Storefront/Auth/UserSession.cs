using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Storefront.Model;

namespace Storefront.Auth;

/// <summary>
/// Who the backend calls of this scope (a request, or an interactive circuit) are made for: the signed-in user's
/// session (tokens in <see cref="TokenStore"/>) or the anonymous cart id. In a circuit there is no HttpContext, so both
/// are taken when it starts: the user from its AuthenticationState (the cookie of the circuit's connection), the cart
/// id from the page that started it (see Routes.razor).
/// </summary>
public sealed class UserSession(AuthenticationStateProvider authentication, IHttpContextAccessor httpContextAccessor, TokenStore tokens)
{
    public const string CartIdHeader = "X-Cart-Id";
    public const string CartCookieName = ".summit.cart";

    private Guid? _cartId;
    private string? _sessionId;
    private bool _resolved;

    /// <summary>The anonymous cart id (from the cart cookie); sent as X-Cart-Id when nobody is signed in.</summary>
    public Guid? CartId
    {
        get => _cartId ?? CartIdFromRequest(httpContextAccessor.HttpContext);
        set => _cartId = value;
    }

    /// <summary>Uses this sign-in's tokens from now on (right after signing in, before the cookie reaches the browser).</summary>
    public void UseSession(string sessionId)
    {
        _sessionId = sessionId;
        _resolved = true;
    }

    public async Task<string?> GetAccessTokenAsync(CancellationToken cancellationToken) =>
        await GetSessionIdAsync() is { } sessionId ? await tokens.GetAccessTokenAsync(sessionId, cancellationToken) : null;

    public async Task<string?> RefreshAccessTokenAsync(string staleAccessToken, CancellationToken cancellationToken) =>
        await GetSessionIdAsync() is { } sessionId ? await tokens.RefreshAsync(sessionId, staleAccessToken, cancellationToken) : null;

    public async Task ReplaceTokensAsync(TokenResponse fresh, CancellationToken cancellationToken)
    {
        if (await GetSessionIdAsync() is { } sessionId)
        {
            await tokens.SaveAsync(sessionId, fresh);
        }
    }

    private async Task<string?> GetSessionIdAsync()
    {
        if (!_resolved)
        {
            _sessionId = (await GetUserAsync()).FindFirstValue(StorefrontClaims.SessionId);
            _resolved = true;
        }
        return _sessionId;
    }

    private async Task<ClaimsPrincipal> GetUserAsync()
    {
        try
        {
            return (await authentication.GetAuthenticationStateAsync()).User;
        }
        catch (InvalidOperationException)
        {
            // Outside component rendering (a minimal API endpoint): the request's user.
            return httpContextAccessor.HttpContext?.User ?? new ClaimsPrincipal();
        }
    }

    /// <summary>The cart id of a request: set by <see cref="CartCookie"/> this request, else from the cookie.</summary>
    public static Guid? CartIdFromRequest(HttpContext? context) =>
        context is null ? null
        : context.Items[CartCookieName] is Guid fresh ? fresh
        : Guid.TryParse(context.Request.Cookies[CartCookieName], out var id) ? id
        : null;
}
