using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using Storefront.Model;

namespace Storefront.Services;

/// <summary>A product picked for comparison, as the compare bar shows it.</summary>
public sealed record ComparedProduct(int Id, string Name, string ImageUrl, string Category, string CategorySlug);

/// <summary>
/// The products a shopper picked on the shop's cards to compare (<c>/compare?ids=</c>): up to <see cref="Limit"/>, all of
/// one category. Kept for anyone, signed in or not, in a cookie of product ids (<c>.summit.compare</c>, "12-40-7",
/// written from the browser as the anonymous favourites are), so the pick survives moving between listing pages and
/// reloads; the server reads it while prerendering and asks the catalog (cached product pages) for names and pictures.
/// A persistent service: what the prerender read is handed to the circuit. A change raises <see cref="Changed"/>.
/// </summary>
public sealed partial class CompareStore(CatalogClient catalog, IHttpContextAccessor httpContextAccessor, IJSRuntime js, ILogger<CompareStore> logger)
{
    public const string CookieName = ".summit.compare";

    /// <summary>How many products the comparison page shows side by side.</summary>
    public const int Limit = 4;

    private static readonly TimeSpan CookieLifetime = TimeSpan.FromDays(7);

    private Task<List<ComparedProduct>>? _loading;

    /// <summary>The picked products, oldest first (null until loaded); persisted from the prerender to the circuit.</summary>
    [PersistentState]
    public List<ComparedProduct>? Items { get; set; }

    /// <summary>What the last pick that could not be made should tell the shopper, with the product it was for.</summary>
    public CompareRefusal? Refusal { get; private set; }

    public event Action? Changed;

    public async Task<IReadOnlyList<ComparedProduct>> GetAsync()
    {
        if (Items is not null)
        {
            return Items;
        }
        _loading ??= LoadAsync();
        return Items = await _loading;
    }

    public static string CompareUrl(IEnumerable<int> ids) => "compare?ids=" + string.Join(',', ids);

    /// <summary>Picks the product, or unpicks it; a pick beyond the limit or of another category is refused with a reason.</summary>
    public async Task SetAsync(ProductSummary product, bool picked)
    {
        var (next, refusal) = Decide(await GetAsync(), Picked(product), picked);
        Refusal = refusal;
        if (next is not null)
        {
            await SaveAsync(next);
        }
        else
        {
            Changed?.Invoke();
        }
    }

    /// <summary>
    /// The rule of a pick, alone: the products picked after it (null: unchanged), or why it is refused. Unpicking always
    /// works; a pick of what is already there changes nothing; the first pick sets the category; then only products of
    /// that category, up to <see cref="Limit"/>.
    /// </summary>
    public static (List<ComparedProduct>? Next, CompareRefusal? Refusal) Decide(IReadOnlyList<ComparedProduct> current, ComparedProduct product, bool picked)
    {
        if (!picked)
        {
            return ([.. current.Where(p => p.Id != product.Id)], null);
        }
        if (current.Any(p => p.Id == product.Id))
        {
            return (null, null);
        }
        if (current.Count > 0 && current[0].CategorySlug != product.CategorySlug)
        {
            return (null, new CompareRefusal(product,
                $"Only products of one category can be compared: you are comparing {current[0].Category.ToLowerInvariant()}, and {product.Name} is in {product.Category.ToLowerInvariant()}.",
                StartNew: true));
        }
        if (current.Count >= Limit)
        {
            return (null, new CompareRefusal(product, $"Up to {Limit} products can be compared at once: remove one to add {product.Name}.", StartNew: false));
        }
        return ([.. current, product], null);
    }

    /// <summary>Drops the picked products and starts again with the refused one (another category's).</summary>
    public Task StartNewAsync(ComparedProduct product)
    {
        Refusal = null;
        return SaveAsync([product]);
    }

    public Task RemoveAsync(int productId)
    {
        Refusal = null;
        return SaveAsync([.. (Items ?? []).Where(p => p.Id != productId)]);
    }

    public Task ClearAsync()
    {
        Refusal = null;
        return SaveAsync([]);
    }

    public void DismissRefusal()
    {
        Refusal = null;
        Changed?.Invoke();
    }

    private static ComparedProduct Picked(ProductSummary product) =>
        new(product.Id, product.Name, product.ImageUrl, product.Category, product.CategorySlug);

    private async Task SaveAsync(List<ComparedProduct> next)
    {
        try
        {
            await using var module = await js.InvokeAsync<IJSObjectReference>("import", "./favourites.js");
            await module.InvokeVoidAsync("write", CookieName, ProductIdsCookie.Format(next.Select(p => p.Id), Limit), (int)CookieLifetime.TotalSeconds);
        }
        catch (Exception e) when (e is JSException or JSDisconnectedException or InvalidOperationException or TaskCanceledException)
        {
            // The pick still holds on this page and while the circuit lives; only a reload forgets it.
            LogCookieFailed(e);
        }
        Items = next;
        Changed?.Invoke();
    }

    /// <summary>The cookie's products with their names and pictures (their category's first ones, as many as the limit).</summary>
    private async Task<List<ComparedProduct>> LoadAsync()
    {
        var ids = ProductIdsCookie.Parse(await ReadCookieAsync(), Limit);
        if (ids.Count == 0)
        {
            return [];
        }
        var loaded = await Task.WhenAll(ids.Select(id => catalog.GetProductAsync(id.ToString(CultureInfo.InvariantCulture))));
        var products = loaded.Where(r => r.Ok && r.Value is not null).Select(r => r.Value!).ToList();
        return [.. products.Where(p => p.CategorySlug == products[0].CategorySlug)
            .Select(p => new ComparedProduct(p.Id, p.Name, p.Images.FirstOrDefault()?.Url ?? "", p.Category, p.CategorySlug))];
    }

    private async Task<string?> ReadCookieAsync()
    {
        // Prerendering (or a circuit's own request): the cookie came with the request. Else ask the browser.
        if (httpContextAccessor.HttpContext is { } context)
        {
            return context.Request.Cookies[CookieName];
        }
        try
        {
            await using var module = await js.InvokeAsync<IJSObjectReference>("import", "./favourites.js");
            return await module.InvokeAsync<string>("read", CookieName);
        }
        catch (Exception e) when (e is JSException or JSDisconnectedException or InvalidOperationException or TaskCanceledException)
        {
            LogCookieFailed(e);
            return null;
        }
    }

    [LoggerMessage(LogLevel.Warning, "Reading or writing the compare cookie in the browser failed")]
    private partial void LogCookieFailed(Exception exception);
}

/// <summary>A pick that was refused: the product, why, and whether starting a new comparison with it would do.</summary>
public sealed record CompareRefusal(ComparedProduct Product, string Message, bool StartNew);
