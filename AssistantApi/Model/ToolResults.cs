namespace AssistantApi.Model;

// What the tools answer (serialised as camelCase JSON for the model; the local engine reads them back the same way).
// Every fact the assistant states comes from one of these.

public sealed record ProductHit(
    int ProductId, string Name, string Brand, string Category, decimal PriceFrom, decimal PriceTo, bool InStock, string Slug, string ImageUrl);

public sealed record SearchFilters(
    string? Query, string? Category, string? Brand, decimal? MinPrice, decimal? MaxPrice, string? Color, string? Size, string? Sort);

/// <param name="IgnoredWords">Search words left out because, beside the category or brand asked for, they matched nothing.</param>
/// <param name="Closest">When the search words matched nothing: the products with the most similar names (the category's first).</param>
public sealed record SearchResult(
    int Total, string? CorrectedQuery, SearchFilters Filters, IReadOnlyList<ProductHit> Products, string? IgnoredWords = null,
    IReadOnlyList<ProductHit>? Closest = null)
{
    /// <summary>The products in the order the shopper sees them: the closest names first when the words matched nothing.</summary>
    public IEnumerable<ProductHit> Shown() => (Closest ?? []).Concat(Products).DistinctBy(p => p.ProductId);
}

public sealed record VariantStock(int VariantId, string Sku, IReadOnlyDictionary<string, string> Options, decimal Price, int Available);

public sealed record ProductDetails(
    int ProductId, string Name, string Brand, string Category, string Slug, string ImageUrl, string Description,
    decimal PriceFrom, decimal PriceTo, bool InStock, int UnitsAvailable,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Options, IReadOnlyList<VariantStock> Variants);

public sealed record AvailabilityResult(
    int ProductId, string Name, string Slug, string ImageUrl, string? Color, string? Size, bool Available, int UnitsAvailable,
    IReadOnlyList<VariantStock> Matching, IReadOnlyList<string> InStockColors, IReadOnlyList<string> InStockSizes, string? Note);

public sealed record CartItem(int VariantId, string ProductName, string Options, int Quantity, decimal UnitPrice, decimal LineTotal);

public sealed record CartResult(IReadOnlyList<CartItem> Items, int ItemCount, decimal Total, string Currency, CartItem? Added);

public sealed record OrderSummary(
    long OrderId, string Number, string Status, string CreatedAt, decimal Total, string Currency, int ItemCount,
    IReadOnlyList<string> Items, string? LastChange);

public sealed record PlaceOrderResult(string Status, string Message, int ItemCount, decimal Total, string Currency, string? ShipTo, OrderSummary? Order);

public sealed record OrderList(int Total, IReadOnlyList<OrderSummary> Orders);

public sealed record RestockItem(int VariantId, string Options, int Available, int? ExpectedInDays, string? ExpectedDate, string? Basis);

public sealed record RestockResult(int ProductId, string Name, bool AnySoldOut, IReadOnlyList<RestockItem> Items, string? Note = null);

public sealed record PolicyResult(string Topic, string Title, string Text);

public sealed record RecommendationResult(int ProductId, string Name, string Basis, IReadOnlyList<ProductHit> Products);

public sealed record ForecastResult(
    int ProductId, string Name, int HorizonDays, double ExpectedUnits, double Lower80, double Upper80, string? Model, string? Note);

public sealed record ReorderLine(
    int VariantId, string ProductName, string Sku, string Options, int Available, double? DaysOfCover, string? StockoutDate, int SuggestedQuantity);

public sealed record ReorderResult(int Count, IReadOnlyList<ReorderLine> Items);

/// <summary>What a failed tool call answers: the reason in plain words.</summary>
/// <summary>What customers say of a product: their average stars, how many reviewed it, how many gave 5..1 stars, and a few short quotes.</summary>
public sealed record ReviewsResult(int ProductId, string Name, decimal? Average, int Count, IReadOnlyList<int> Stars, IReadOnlyList<ReviewQuote> Quotes);

public sealed record ReviewQuote(int Rating, string Title, string Text, string Author, int HelpfulCount);

public sealed record ToolError(string Error);
