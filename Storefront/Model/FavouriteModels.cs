namespace Storefront.Model;

// OrderingApi's /api/favourites and CatalogApi's /api/catalog/availability (anonymous shoppers' favourites).

public sealed record FavouriteVariant(int Id, string Sku, IReadOnlyDictionary<string, string> Options, decimal Price, int Available);

/// <param name="BackInStock">Sold out when favourited or on a later look, available again (signed-in shoppers only).</param>
/// <param name="Sold">False once the shop no longer sells it.</param>
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
    IReadOnlyList<FavouriteVariant> Variants);

public sealed record FavouriteList(IReadOnlyList<FavouriteItem> Items, int Count, int Limit);

public sealed record FavouriteIds(IReadOnlyList<int> ProductIds, int Limit);

public sealed record ProductAvailability(
    int Id, string Slug, string Name, string Brand, string ImageUrl, decimal? PriceFrom, decimal? PriceTo, bool InStock, bool Archived,
    IReadOnlyList<FavouriteVariant> Variants)
{
    public FavouriteItem ToFavourite() => new(Id, Slug, Name, Brand, ImageUrl, PriceFrom, PriceTo, InStock, false, !Archived, Variants);
}
