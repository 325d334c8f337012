using System.ComponentModel;
using AssistantApi.Model;
using AssistantApi.Tools;
using Microsoft.SemanticKernel;

namespace AssistantApi.Plugins;

public sealed record FavouriteHit(
    int ProductId, string Name, string Brand, string Slug, string ImageUrl, decimal PriceFrom, decimal PriceTo, bool InStock, bool BackInStock, bool Sold);

/// <param name="Status"><c>added</c>, or <c>already_there</c> when it was a favourite before.</param>
public sealed record FavouriteAddResult(string Status, FavouriteHit Product);

public sealed record FavouritesResult(int Count, IReadOnlyList<FavouriteHit> Products);

/// <summary>
/// The signed-in customer's favourites (their wishlist): only registered for a signed-in caller, and every call runs
/// with their own token. Favourites an anonymous shopper keeps in the storefront live in their browser, out of reach.
/// </summary>
public sealed class FavouritesPlugin(TurnContext turn, FavouritesClient favourites)
{
    /// <summary>How many favourites a list answer names (the newest).</summary>
    public const int MaxListed = 20;

    [KernelFunction("add_favourite"), Description("Save a product to the user's favourites (their wishlist). Needs the product's id, from search_products or get_product_details.")]
    public async Task<FavouriteAddResult> AddFavouriteAsync(
        [Description("The product's id")] int productId, CancellationToken cancellationToken = default)
    {
        if (productId <= 0)
        {
            throw new ToolException("That is not a product of the shop.");
        }
        var (favourite, added) = await favourites.AddAsync(productId, cancellationToken);
        if (turn.Conversation.Product?.ProductId != favourite.ProductId)
        {
            turn.Conversation.Product = new ProductRef(favourite.ProductId, favourite.Name);
            turn.Conversation.VariantId = null;
            turn.Conversation.Color = null;
            turn.Conversation.Size = null;
        }
        return new FavouriteAddResult(added ? "added" : "already_there", Hit(favourite));
    }

    [KernelFunction("list_favourites"), Description("The user's favourite products (their wishlist), newest first, with price, whether each is in stock, and whether it is back in stock after being sold out.")]
    public async Task<FavouritesResult> ListFavouritesAsync(CancellationToken cancellationToken = default)
    {
        var list = await favourites.ListAsync(cancellationToken);
        var shown = list.Items.Take(MaxListed).Select(Hit).ToList();
        turn.Conversation.LastResults = [.. shown.Select(h => new ProductRef(h.ProductId, h.Name))];
        return new FavouritesResult(list.Count, shown);
    }

    private static FavouriteHit Hit(ShopFavourite f) =>
        new(f.ProductId, f.Name, f.Brand, f.Slug, f.ImageUrl, f.PriceFrom ?? 0, f.PriceTo ?? 0, f.InStock, f.BackInStock, f.Sold);
}
