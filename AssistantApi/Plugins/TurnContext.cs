using System.Globalization;
using AssistantApi.Model;
using AssistantApi.Tools;

namespace AssistantApi.Plugins;

/// <summary>
/// What a turn's plugins share: who is asking (from the validated token), the conversation they update (the product
/// under discussion, the last results, a checkout waiting for a yes), and whether this message is a clear "yes".
/// </summary>
public sealed record TurnContext(CallerKind Caller, Conversation Conversation, bool UserConfirmed)
{
    /// <summary>The product is now the one under discussion; options said about another product no longer apply.</summary>
    public void Discuss(CatalogProductDetail product)
    {
        if (Conversation.Product?.ProductId != product.Id)
        {
            Conversation.VariantId = null;
            Conversation.Color = null;
            Conversation.Size = null;
        }
        Conversation.Product = new ProductRef(product.Id, product.Name);
    }
}

/// <summary>The shapes the plugins answer, made from what the shop's APIs return.</summary>
internal static class ToolShapes
{
    public const int MaxVariants = 60;

    /// <summary>The product's first picture, as the catalog links it.</summary>
    public static string ImageUrl(CatalogProductDetail p) => p.Images is [var first, ..] ? first.Url : "";

    public static ProductDetails Details(CatalogProductDetail p) => new(
        p.Id, p.Name, p.Brand, p.Category, p.Slug, ImageUrl(p), p.Description,
        p.PriceFrom ?? 0, p.PriceTo ?? 0, p.InStock, p.Variants.Sum(v => Math.Max(0, v.Available)),
        p.Options.ToDictionary(o => o.Name, o => o.Values),
        [.. p.Variants.Take(MaxVariants).Select(Stock)]);

    public static ProductHit Hit(CatalogProductDetail p) =>
        new(p.Id, p.Name, p.Brand, p.Category, p.PriceFrom ?? 0, p.PriceTo ?? 0, p.InStock, p.Slug, ImageUrl(p));

    public static VariantStock Stock(CatalogVariant v) => new(v.Id, v.Sku, v.Options, v.Price, Math.Max(0, v.Available));

    public static CartResult Summarize(Cart cart) => new(
        [.. cart.Lines.Select(l => new CartItem(l.VariantId, l.ProductName, VariantMatcher.Describe(l.Options), l.Quantity, l.UnitPrice, l.LineTotal))],
        cart.ItemCount, cart.Total, cart.Currency ?? "EUR", null);

    public static OrderSummary Summarize(Order order)
    {
        var last = order.StatusHistory?.OrderBy(h => h.At).LastOrDefault();
        return new OrderSummary(order.Id, order.Number, order.Status, order.CreatedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            order.Total, order.Currency ?? "EUR", order.Lines.Sum(l => l.Quantity),
            [.. order.Lines.Take(10).Select(l => $"{l.Quantity} x {l.ProductName}{(l.Options is { Count: > 0 } ? " (" + VariantMatcher.Describe(l.Options) + ")" : "")}")],
            last is null ? null : $"{last.Status} on {last.At.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}{(string.IsNullOrWhiteSpace(last.Reason) ? "" : " (" + last.Reason + ")")}");
    }
}
