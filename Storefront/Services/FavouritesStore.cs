using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;
using Storefront.Auth;
using Storefront.Model;

namespace Storefront.Services;

/// <summary>
/// The shopper's favourite product ids (newest first) as this scope knows them: every heart on the page and the
/// favourites page share it, and a change raises <see cref="Changed"/> so they all redraw. Signed in, the list is the
/// account's (OrderingApi <c>/api/favourites</c>); anonymous, it is the browser's cookie (<see cref="FavouritesCookie"/>),
/// merged into the account at sign-in. A persistent service: the ids read while prerendering are handed to the circuit,
/// so the hearts do not ask again or flicker.
/// </summary>
public sealed partial class FavouritesStore(
    OrderingClient ordering, CatalogClient catalog, AuthenticationStateProvider authentication, IHttpContextAccessor httpContextAccessor,
    IJSRuntime js, ILogger<FavouritesStore> logger)
{
    public const string UnavailableMessage = "Your favourites cannot be reached right now. Please try again in a moment.";

    private Task<List<int>?>? _loading;

    /// <summary>The ids as last read or changed (null until loaded); persisted from the prerender to the circuit.</summary>
    [PersistentState]
    public List<int>? Ids { get; set; }

    public event Action? Changed;

    public async Task<bool> IsSignedInAsync() =>
        (await authentication.GetAuthenticationStateAsync()).User.Identity?.IsAuthenticated == true;

    /// <summary>The favourite ids, read once per scope (null when the account's list cannot be reached).</summary>
    public async Task<IReadOnlyList<int>?> GetIdsAsync()
    {
        if (Ids is not null)
        {
            return Ids;
        }
        _loading ??= LoadIdsAsync();
        var ids = await _loading;
        if (ids is null)
        {
            _loading = null; // try again next time
        }
        return ids;
    }

    /// <summary>Makes the product a favourite or not; null on success, else what to tell the shopper.</summary>
    public async Task<string?> SetAsync(int productId, bool favourite)
    {
        if (await GetIdsAsync() is not { } current)
        {
            return UnavailableMessage;
        }
        if (current.Contains(productId) == favourite)
        {
            return null;
        }
        var next = favourite ? [productId, .. current] : current.Where(id => id != productId).ToList();
        if (await IsSignedInAsync())
        {
            var message = favourite ? (await ordering.AddFavouriteAsync(productId)).Message : (await ordering.RemoveFavouriteAsync(productId)).Message;
            if (message is not null)
            {
                return message;
            }
        }
        else
        {
            if (favourite && current.Count >= FavouritesCookie.Limit)
            {
                return $"This browser keeps up to {FavouritesCookie.Limit} favourites. Sign in to keep more.";
            }
            try
            {
                await using var module = await js.InvokeAsync<IJSObjectReference>("import", "./favourites.js");
                await module.InvokeVoidAsync("write", FavouritesCookie.Name, FavouritesCookie.Format(next), (int)FavouritesCookie.Lifetime.TotalSeconds);
            }
            catch (Exception e) when (e is JSException or JSDisconnectedException or InvalidOperationException or TaskCanceledException)
            {
                LogCookieFailed(e);
                return "Your favourites could not be saved in this browser.";
            }
        }
        Ids = next;
        Changed?.Invoke();
        return null;
    }

    /// <summary>The favourites with price, picture and stock: the account's from OrderingApi, the browser's from the catalog.</summary>
    public async Task<ApiResult<IReadOnlyList<FavouriteItem>>> ListAsync(CancellationToken cancellationToken = default)
    {
        if (await IsSignedInAsync())
        {
            var list = await ordering.GetFavouritesAsync(cancellationToken);
            if (list is { Ok: true, Value: { } value })
            {
                Ids = [.. value.Items.Select(i => i.ProductId)];
                Changed?.Invoke();
                return ApiResult<IReadOnlyList<FavouriteItem>>.Success(value.Items);
            }
            return new ApiResult<IReadOnlyList<FavouriteItem>>(default, list.Status, list.Message);
        }
        if (await GetIdsAsync() is not { Count: > 0 } ids)
        {
            return ApiResult<IReadOnlyList<FavouriteItem>>.Success([]);
        }
        var products = await catalog.GetAvailabilityAsync(ids, cancellationToken);
        if (products is not { Ok: true, Value: { } found })
        {
            return new ApiResult<IReadOnlyList<FavouriteItem>>(default, products.Status, products.Message);
        }
        var byId = found.ToDictionary(p => p.Id);
        return ApiResult<IReadOnlyList<FavouriteItem>>.Success([.. ids.Where(byId.ContainsKey).Select(id => byId[id].ToFavourite())]);
    }

    private async Task<List<int>?> LoadIdsAsync()
    {
        if (await IsSignedInAsync())
        {
            var result = await ordering.GetFavouriteIdsAsync();
            return Ids = result is { Ok: true, Value: { } value } ? [.. value.ProductIds] : null;
        }
        // Prerendering (or a circuit's own request): the cookie came with the request. Else ask the browser.
        if (httpContextAccessor.HttpContext is { } context)
        {
            return Ids = FavouritesCookie.Read(context);
        }
        try
        {
            await using var module = await js.InvokeAsync<IJSObjectReference>("import", "./favourites.js");
            return Ids = FavouritesCookie.Parse(await module.InvokeAsync<string>("read", FavouritesCookie.Name));
        }
        catch (Exception e) when (e is JSException or JSDisconnectedException or InvalidOperationException or TaskCanceledException)
        {
            LogCookieFailed(e);
            return Ids = [];
        }
    }

    [LoggerMessage(LogLevel.Warning, "Reading or writing the favourites cookie in the browser failed")]
    private partial void LogCookieFailed(Exception exception);
}
