using System.Text;
using AssistantApi.Plugins;

namespace AssistantApi.Engines.Local;

/// <summary>The local engine's replies about favourites, written from the favourites tools' results only.</summary>
public static class FavouriteReplies
{
    /// <summary>Said to a shopper who is not signed in: the storefront's own hearts live in their browser, out of reach.</summary>
    public const string SignIn = "Please sign in to keep favourites in your account, and I can add to them and list them for you. "
        + "Hearts you tap before signing in are kept in your browser, where I can't see them; they join your account when you sign in.";

    public static string Added(FavouriteAddResult result)
    {
        var product = result.Product;
        if (result.Status == "already_there")
        {
            return $"The {product.Name} is already in your favourites.";
        }
        return $"I've added the {product.Name} ({Price(product)}) to your favourites."
            + (product.InStock ? "" : " It's sold out right now: your favourites page will show when it's back in stock.");
    }

    public static string List(FavouritesResult result)
    {
        if (result.Count == 0)
        {
            return "Your favourites list is empty. Tap the heart on any product, or ask me to add one (\"add the Quartz 3 tent to my favourites\").";
        }
        var text = new StringBuilder($"You have {result.Count} favourite{(result.Count == 1 ? "" : "s")}:\n");
        foreach (var product in result.Products)
        {
            text.AppendLine($"- {product.Name} ({product.Brand}) – {Price(product)}, {Stock(product)}");
        }
        if (result.Count > result.Products.Count)
        {
            text.AppendLine($"…and {result.Count - result.Products.Count} more on your favourites page.");
        }
        return text.ToString().TrimEnd();
    }

    private static string Price(FavouriteHit product) =>
        product.PriceFrom == product.PriceTo
            ? ReplyWriter.Money(product.PriceFrom)
            : $"from {ReplyWriter.Money(product.PriceFrom)}";

    private static string Stock(FavouriteHit product) =>
        !product.Sold ? "no longer sold"
        : product.BackInStock ? "back in stock!"
        : product.InStock ? "in stock"
        : "sold out";
}
