using System.Net;

namespace AssistantApi.Tools;

/// <summary>A favourite as ordering-api answers it (<c>/api/favourites</c>).</summary>
public sealed record ShopFavourite(
    int ProductId, string Slug, string Name, string Brand, string ImageUrl, decimal? PriceFrom, decimal? PriceTo,
    bool InStock, bool BackInStock, bool Sold);

public sealed record ShopFavouriteList(IReadOnlyList<ShopFavourite> Items, int Count, int Limit);

/// <summary>ordering-api's favourites as the signed-in user (their token is forwarded): only ever their own list.</summary>
public sealed class FavouritesClient(HttpClient http)
{
    public async Task<ShopFavouriteList> ListAsync(CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync("/api/favourites", cancellationToken);
        return await ShopHttp.ReadAsync<ShopFavouriteList>(response, "Your favourites", cancellationToken);
    }

    /// <summary>Adds the product (a repeat is fine); returns it and whether it was new.</summary>
    public async Task<(ShopFavourite Favourite, bool Added)> AddAsync(int productId, CancellationToken cancellationToken)
    {
        using var response = await http.PutAsync($"/api/favourites/{productId}", null, cancellationToken);
        var favourite = await ShopHttp.ReadAsync<ShopFavourite>(response, $"Product {productId}", cancellationToken);
        return (favourite, response.StatusCode == HttpStatusCode.Created);
    }
}
