using System.Text.Json;
using AssistantApi.Model;
using AssistantApi.Plugins;
using AssistantApi.Tools;

namespace AssistantApi.Services;

/// <summary>Product cards for the storefront, drawn from the results of this turn's tools.</summary>
public static class ProductCards
{
    public static IEnumerable<ProductCard> From(string tool, JsonElement result)
    {
        switch (tool)
        {
            case "search_products":
                return Hits(result.Deserialize<SearchResult>(ShopHttp.Json)?.Shown().ToList());
            case "recommend_products":
                return Hits(result.Deserialize<RecommendationResult>(ShopHttp.Json)?.Products);
            case "get_product_details" when result.Deserialize<ProductDetails>(ShopHttp.Json) is { } p:
                return [new ProductCard(p.ProductId, p.Slug, p.Name, p.PriceFrom, p.ImageUrl, null, p.UnitsAvailable)];
            case "check_availability" when result.Deserialize<AvailabilityResult>(ShopHttp.Json) is { } a:
                var single = a.Matching.Count == 1 ? a.Matching[0] : null;
                return [new ProductCard(a.ProductId, a.Slug, a.Name, single?.Price ?? a.Matching.Select(m => m.Price).DefaultIfEmpty(0).Min(),
                    a.ImageUrl, single?.VariantId, a.UnitsAvailable)];
            case "list_favourites":
                return Favourites(result.Deserialize<FavouritesResult>(ShopHttp.Json)?.Products);
            case "add_favourite" when result.Deserialize<FavouriteAddResult>(ShopHttp.Json) is { } f:
                return Favourites([f.Product]);
            default:
                return [];
        }
    }

    private static IEnumerable<ProductCard> Favourites(IReadOnlyList<FavouriteHit>? hits) =>
        (hits ?? []).Select(h => new ProductCard(h.ProductId, h.Slug, h.Name, h.PriceFrom, h.ImageUrl, null, h.InStock ? null : 0));

    private static IEnumerable<ProductCard> Hits(IReadOnlyList<ProductHit>? hits) =>
        (hits ?? []).Select(h => new ProductCard(h.ProductId, h.Slug, h.Name, h.PriceFrom, h.ImageUrl, null, null));
}
