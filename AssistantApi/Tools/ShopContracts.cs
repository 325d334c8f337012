namespace AssistantApi.Tools;

// The shapes the assistant reads from the other services (JSON, camelCase), trimmed to the fields it uses.
// Catalog: CatalogApi/Model/CatalogContracts.cs; ordering and forecasts: the agreed contracts.

public sealed record CatalogProductSummary(
    int Id, string Slug, string Name, string Brand, string BrandSlug, string Category, string CategorySlug,
    decimal PriceFrom, decimal PriceTo, bool InStock, string ImageUrl);

public sealed record CatalogFacetValue(string Value, string? Label, int Count);

public sealed record CatalogFacets(
    IReadOnlyList<CatalogFacetValue> Categories,
    IReadOnlyList<CatalogFacetValue> Brands,
    IReadOnlyDictionary<string, IReadOnlyList<CatalogFacetValue>> Options);

public sealed record CatalogProductPage(
    IReadOnlyList<CatalogProductSummary> Items, int Total, int Page, int PageSize, CatalogFacets? Facets, string? CorrectedQuery);

public sealed record CatalogOption(string Name, IReadOnlyList<string> Values);

public sealed record CatalogVariant(int Id, string Sku, IReadOnlyDictionary<string, string> Options, decimal Price, int Available);

public sealed record CatalogImage(string Url, string? Colour, string? Alt);

public sealed record CatalogProductDetail(
    int Id, string Slug, string Name, string Description, string Brand, string BrandSlug, string Category, string CategorySlug,
    IReadOnlyList<CatalogImage>? Images, IReadOnlyList<CatalogOption> Options, IReadOnlyList<CatalogVariant> Variants,
    decimal? PriceFrom, decimal? PriceTo, bool InStock, bool Archived, IReadOnlyList<CatalogSpec>? Specs = null);

/// <summary>A product's value of one spec (CatalogApi/Model/Specifications.cs): "Packed weight", 2150, "2,150 g".</summary>
public sealed record CatalogSpec(string Key, string Label, string Kind, string? Unit, decimal? Number, string? Choice, string Display);

/// <summary>A line of a category's spec sheet; <see cref="Sort"/> (asc/desc) is its natural order, named <see cref="SortLabel"/> ("Lightest first").</summary>
public sealed record CatalogSpecDefinition(
    string Category, string Key, string Label, string Kind, string? Unit, IReadOnlyList<string>? Choices, decimal? Min, decimal? Max,
    string? Sort, string? SortLabel);

public sealed record CatalogCategory(int Id, string Slug, string Name, int ProductCount, IReadOnlyList<CatalogCategory> Children);

public sealed record CatalogBrand(int Id, string Slug, string Name, int ProductCount);

public sealed record CartLine(
    int VariantId, int ProductId, string ProductName, string? ProductSlug, string? Sku, IReadOnlyDictionary<string, string>? Options,
    string? ImageUrl, decimal UnitPrice, int Quantity, decimal LineTotal);

public sealed record Cart(string? Id, IReadOnlyList<CartLine> Lines, int ItemCount, decimal Total, string? Currency);

public sealed record OrderLine(
    int VariantId, int ProductId, string? Sku, string ProductName, IReadOnlyDictionary<string, string>? Options,
    int Quantity, decimal UnitPrice, decimal LineTotal);

public sealed record OrderStatusChange(string Status, DateTimeOffset At, string? By, string? Reason);

public sealed record Order(
    long Id, string Number, string Status, DateTimeOffset CreatedAt, string? PaymentMethod,
    IReadOnlyList<OrderLine> Lines, decimal Total, string? Currency, IReadOnlyList<OrderStatusChange>? StatusHistory);

public sealed record OrderPage(IReadOnlyList<Order> Items, int Total, int Page, int PageSize);

public sealed record ShopAddress(string FullName, string Line1, string? Line2, string City, string PostalCode, string Country);

public sealed record Profile(string Id, string Email, string? Name, ShopAddress? DefaultShippingAddress, ShopAddress? DefaultBillingAddress);

public sealed record BoughtTogetherItem(int ProductId, int Orders);

public sealed record BoughtTogether(int ProductId, IReadOnlyList<BoughtTogetherItem> Items);

public sealed record RestockEstimate(int VariantId, int Available, bool SoldOut, int? ExpectedInDays, string? ExpectedDate, string? Basis);

public sealed record ForecastPoint(string Date, double Mean, double Lower80, double Upper80, double Lower95, double Upper95);

public sealed record Forecast(string? Model, bool ShortHistory, string? Note, IReadOnlyList<ForecastPoint> Points);

public sealed record ReorderItem(
    int VariantId, int ProductId, string ProductName, string Sku, IReadOnlyDictionary<string, string>? Options,
    int OnHand, int Available, double DailyDemand, int LeadTimeDays, double? DaysOfCover, string? StockoutDate, int SuggestedQuantity);

public sealed record ReorderSuggestions(DateTimeOffset? GeneratedAt, double? ServiceLevel, IReadOnlyList<ReorderItem> Items);

/// <summary>OrderingApi's <c>GET /api/reviews/products/{id}</c>: the visible reviews' summary (stars: how many gave 1..5) and a page of them.</summary>
public sealed record ReviewPage(ReviewSummary Summary, IReadOnlyList<ShopReview> Items, int Total);

public sealed record ReviewSummary(decimal? Average, int Count, IReadOnlyList<int> Stars);

public sealed record ShopReview(long Id, string Author, int Rating, string Title, string Body, DateTimeOffset CreatedAt, int HelpfulCount);
