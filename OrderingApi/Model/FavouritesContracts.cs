namespace OrderingApi.Model;

// Request and response shapes of /api/favourites (JSON, camelCase). The storefront and the assistant read these names.

public sealed record MergeFavouritesRequest(int[]? ProductIds);

public sealed record FavouriteVariant(int Id, string Sku, IReadOnlyDictionary<string, string> Options, decimal Price, int Available);

/// <summary>A favourite product as its page shows it, with what the catalog says of it now.</summary>
/// <param name="InStock">Some variant can be bought now.</param>
/// <param name="BackInStock">It was sold out when favourited or on a later look at the list, and is available again
/// (shown for <see cref="FavouriteStock.BadgeLifetime"/> from when that was first seen).</param>
/// <param name="Sold">False once the shop no longer sells the product (archived): it stays until removed.</param>
public sealed record FavouriteItem(
    int ProductId,
    string Slug,
    string Name,
    string Brand,
    string ImageUrl,
    decimal? PriceFrom,
    decimal? PriceTo,
    bool InStock,
    bool BackInStock,
    bool Sold,
    DateTimeOffset AddedAt,
    IReadOnlyList<FavouriteVariant> Variants);

/// <param name="Limit">How many favourites a customer may keep.</param>
public sealed record FavouriteList(IReadOnlyList<FavouriteItem> Items, int Count, int Limit);

/// <summary>Only the product ids, newest first: what the storefront needs to draw its hearts.</summary>
public sealed record FavouriteIds(IReadOnlyList<int> ProductIds, int Limit);

/// <param name="Added">How many of the given products were new favourites.</param>
/// <param name="Skipped">Given products not added: unknown to the shop, no longer sold, or beyond the limit.</param>
/// <param name="ProductIds">Every favourite now, newest first.</param>
public sealed record MergeFavouritesResponse(int Added, IReadOnlyList<int> Skipped, IReadOnlyList<int> ProductIds);

/// <summary>
/// A favourite's stock as its customer saw it, for "back in stock": when it was seen sold out (at favouriting or a
/// later look), and when it was first seen available again after that. A plain value, so the rule is tested alone.
/// </summary>
public readonly record struct FavouriteStock(DateTimeOffset? SoldOutSeenAt, DateTimeOffset? BackInStockAt)
{
    /// <summary>How long "back in stock" is shown after the product was first seen available again.</summary>
    public static readonly TimeSpan BadgeLifetime = TimeSpan.FromDays(14);

    public static FavouriteStock WhenAdded(bool inStock, DateTimeOffset now) => inStock ? default : new(now, null);

    /// <summary>The state after a look that found the product <paramref name="inStock"/> (or not) at <paramref name="now"/>.</summary>
    public FavouriteStock Seen(bool inStock, DateTimeOffset now) =>
        !inStock ? (SoldOutSeenAt is not null && BackInStockAt is null ? this : new(now, null))
        : SoldOutSeenAt is null ? this
        : BackInStockAt is null ? this with { BackInStockAt = now }
        : now - BackInStockAt.Value >= BadgeLifetime ? default
        : this;

    /// <summary>Whether the badge shows, for a state after <see cref="Seen"/>.</summary>
    public bool BackInStock => SoldOutSeenAt is not null && BackInStockAt is not null;
}
