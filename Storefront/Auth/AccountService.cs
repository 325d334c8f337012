using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Storefront.Model;
using Storefront.Services;

namespace Storefront.Auth;

/// <summary>The outcome of a sign-in or registration: null <see cref="Error"/> on success.</summary>
public sealed record AccountResult(string? Error, IReadOnlyDictionary<string, string[]>? FieldErrors = null)
{
    public static AccountResult Success { get; } = new((string?)null);

    public bool Succeeded => Error is null;
}

/// <summary>
/// Signs shoppers in and out through OrderingApi's identity endpoints. Sign-in keeps the tokens server-side
/// (<see cref="TokenStore"/>), issues the storefront's encrypted HttpOnly cookie with the user's id, email, name, roles
/// and session id, and merges the anonymous cart and favourites into the user's.
/// </summary>
public sealed partial class AccountService(IHttpClientFactory httpClientFactory, TokenStore tokens, ILogger<AccountService> logger)
{
    private HttpClient Identity => httpClientFactory.CreateClient(TokenStore.IdentityClientName);

    /// <summary>
    /// A request to OrderingApi's identity endpoints on behalf of the shopper of <paramref name="context"/>: it carries
    /// their address (X-Forwarded-For; OrderingApi trusts it from the storefront), so its rate limit counts each shopper,
    /// not the storefront as one client.
    /// </summary>
    private static HttpRequestMessage ForShopper(HttpContext context, HttpMethod method, string path, object? body = null, string? accessToken = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: BackendClient.Json);
        }
        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }
        if (context.Connection.RemoteIpAddress is { } address)
        {
            request.Headers.Add("X-Forwarded-For", address.ToString());
        }
        return request;
    }

    public async Task<AccountResult> SignInAsync(HttpContext context, string email, string password, CancellationToken cancellationToken)
    {
        try
        {
            using var request = ForShopper(context, HttpMethod.Post, "/api/identity/login", new { email, password });
            using var response = await Identity.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return response.StatusCode switch
                {
                    HttpStatusCode.TooManyRequests => new AccountResult("Too many attempts. Please wait a minute and try again."),
                    >= HttpStatusCode.InternalServerError => new AccountResult("Signing in is not possible right now. Please try again in a moment."),
                    _ => new AccountResult("That email and password do not match an account."),
                };
            }
            var issued = await response.Content.ReadFromJsonAsync<TokenResponse>(BackendClient.Json, cancellationToken)
                ?? throw new JsonException("No tokens in the sign-in answer.");
            return await StartSessionAsync(context, issued, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or StackExchange.Redis.RedisException
                                      && !cancellationToken.IsCancellationRequested)
        {
            LogSignInFailed(e);
            return new AccountResult("Signing in is not possible right now. Please try again in a moment.");
        }
    }

    public async Task<AccountResult> RegisterAsync(HttpContext context, string name, string email, string password, CancellationToken cancellationToken)
    {
        try
        {
            using var request = ForShopper(context, HttpMethod.Post, "/api/identity/register", new { email, password, name });
            using var response = await Identity.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                if (response.StatusCode == HttpStatusCode.BadRequest
                    && await response.Content.ReadFromJsonAsync<JsonElement>(BackendClient.Json, cancellationToken) is { ValueKind: JsonValueKind.Object } problem
                    && problem.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
                {
                    var fields = errors.EnumerateObject().ToDictionary(
                        field => field.Name,
                        field => field.Value.EnumerateArray().Select(m => m.GetString() ?? "").ToArray(),
                        StringComparer.OrdinalIgnoreCase);
                    return new AccountResult("Please check the highlighted fields.", fields);
                }
                return new AccountResult(response.StatusCode == HttpStatusCode.TooManyRequests
                    ? "Too many attempts. Please wait a minute and try again."
                    : "Creating your account is not possible right now. Please try again in a moment.");
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException && !cancellationToken.IsCancellationRequested)
        {
            LogSignInFailed(e);
            return new AccountResult("Creating your account is not possible right now. Please try again in a moment.");
        }
        return await SignInAsync(context, email, password, cancellationToken);
    }

    /// <summary>Ends the sign-in here and at OrderingApi (its session is revoked), and deletes the stored tokens.</summary>
    public async Task SignOutAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (context.User.FindFirstValue(StorefrontClaims.SessionId) is { } sessionId)
        {
            try
            {
                if (await tokens.GetAccessTokenAsync(sessionId, cancellationToken) is { } accessToken)
                {
                    using var request = ForShopper(context, HttpMethod.Post, "/api/identity/logout", accessToken: accessToken);
                    using var response = await Identity.SendAsync(request, cancellationToken);
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                LogSignOutFailed(e);
            }
            await tokens.RemoveAsync(sessionId);
        }
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }

    private async Task<AccountResult> StartSessionAsync(HttpContext context, TokenResponse issued, CancellationToken cancellationToken)
    {
        using var profileRequest = ForShopper(context, HttpMethod.Get, "/api/identity/profile", accessToken: issued.AccessToken);
        using var profileResponse = await Identity.SendAsync(profileRequest, cancellationToken);
        profileResponse.EnsureSuccessStatusCode();
        var profile = await profileResponse.Content.ReadFromJsonAsync<Profile>(BackendClient.Json, cancellationToken)
            ?? throw new JsonException("No profile.");

        var sessionId = await tokens.CreateAsync(issued);
        await MergeAnonymousCartAsync(context, issued.AccessToken, cancellationToken);
        await MergeAnonymousFavouritesAsync(context, issued.AccessToken, cancellationToken);

        var identity = new ClaimsIdentity(CookieAuthenticationDefaults.AuthenticationScheme, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, profile.Id));
        identity.AddClaim(new Claim(ClaimTypes.Name, profile.Email));
        identity.AddClaim(new Claim(StorefrontClaims.DisplayName, string.IsNullOrWhiteSpace(profile.Name) ? profile.Email : profile.Name));
        identity.AddClaim(new Claim(StorefrontClaims.SessionId, sessionId));
        foreach (var role in profile.Roles)
        {
            identity.AddClaim(new Claim(ClaimTypes.Role, role));
        }
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity),
            new AuthenticationProperties { IsPersistent = true });
        return AccountResult.Success;
    }

    /// <summary>The cart filled before signing in joins the user's cart (OrderingApi adds the quantities), once.</summary>
    private async Task MergeAnonymousCartAsync(HttpContext context, string accessToken, CancellationToken cancellationToken)
    {
        if (UserSession.CartIdFromRequest(context) is not { } cartId)
        {
            return;
        }
        try
        {
            using var request = ForShopper(context, HttpMethod.Post, "/api/cart/merge", new { cartId }, accessToken);
            using var response = await Identity.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                LogMergeRefused((int)response.StatusCode);
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogSignOutFailed(e);
        }
        CartCookie.Delete(context);
    }

    /// <summary>The favourites kept in this browser before signing in join the account's (OrderingApi skips unknown products).</summary>
    private async Task MergeAnonymousFavouritesAsync(HttpContext context, string accessToken, CancellationToken cancellationToken)
    {
        if (FavouritesCookie.Read(context) is not { Count: > 0 } productIds)
        {
            return;
        }
        try
        {
            using var request = ForShopper(context, HttpMethod.Post, "/api/favourites/merge", new { productIds }, accessToken);
            using var response = await Identity.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                LogMergeRefused((int)response.StatusCode);
                return; // kept in the browser: the next sign-in tries again
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogSignOutFailed(e);
            return;
        }
        FavouritesCookie.Delete(context);
    }

    [LoggerMessage(LogLevel.Warning, "Signing in through OrderingApi failed")]
    private partial void LogSignInFailed(Exception exception);

    [LoggerMessage(LogLevel.Warning, "Telling OrderingApi about a sign-out or a cart or favourites merge failed")]
    private partial void LogSignOutFailed(Exception exception);

    [LoggerMessage(LogLevel.Warning, "OrderingApi answered {Status} to merging the anonymous cart or favourites")]
    private partial void LogMergeRefused(int status);
}
