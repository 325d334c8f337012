namespace Storefront.Model;

// The shapes the storefront reads from CatalogApi (see CatalogApi/Model/*Contracts.cs), JSON camelCase.

public sealed record ProductSummary(
    int Id, string Slug, string Name, string Brand, string BrandSlug, string Category, string CategorySlug,
    decimal PriceFrom, decimal PriceTo, bool InStock, string ImageUrl, RatingSummary? Rating = null);

/// <summary>A product's rating as the catalog keeps it: average stars of its visible reviews (null: none yet) and how many.</summary>
public sealed record RatingSummary(decimal? Average, int Count);

public sealed record FacetValue(string Value, string? Label, int Count)
{
    public string Display => Label ?? Value;
}

public sealed record ProductFacets(
    IReadOnlyList<FacetValue> Categories,
    IReadOnlyList<FacetValue> Brands,
    IReadOnlyDictionary<string, IReadOnlyList<FacetValue>> Options,
    IReadOnlyList<SpecFacet>? Specs = null);

public sealed record ProductPage(
    IReadOnlyList<ProductSummary> Items, int Total, int Page, int PageSize, ProductFacets Facets, string? CorrectedQuery);

public sealed record CategoryRef(int Id, string Slug, string Name);

public sealed record ProductImage(string Url, string? Colour, string Alt);

public sealed record ProductOption(string Name, IReadOnlyList<string> Values);

public sealed record ProductVariant(int Id, string Sku, IReadOnlyDictionary<string, string> Options, decimal Price, int Available);

public sealed record ProductDetail(
    int Id, string Slug, string Name, string Description, string Brand, int BrandId, string BrandSlug,
    string Category, int CategoryId, string CategorySlug, IReadOnlyList<CategoryRef> CategoryPath, IReadOnlyList<string> Tags,
    IReadOnlyList<ProductImage> Images, IReadOnlyList<ProductOption> Options, IReadOnlyList<ProductVariant> Variants,
    decimal? PriceFrom, decimal? PriceTo, bool InStock, DateTimeOffset CreatedAt, bool Archived,
    IReadOnlyList<ProductSpec>? Specs = null, RatingSummary? Rating = null);

public sealed record CategoryNode(int Id, string Slug, string Name, int ProductCount, IReadOnlyList<CategoryNode> Children);

public sealed record Brand(int Id, string Slug, string Name, int ProductCount);

/// <summary>A variant with its product (GET /api/catalog/variants?ids=), for carts, orders and chat cards.</summary>
public sealed record VariantInfo(
    int Id, string Sku, int ProductId, string ProductSlug, string ProductName, string Brand,
    IReadOnlyDictionary<string, string> Options, decimal Price, int Available, string ImageUrl, bool Archived);

// Admin shapes.

public sealed record AdminVariant(
    int Id, int ProductId, string Sku, IReadOnlyDictionary<string, string> Options, decimal Price,
    int OnHand, int Reserved, int Available, int ReorderPoint, int LeadTimeDays, int UnitsSold);

public sealed record StockMovement(long Id, string Kind, int Quantity, int OnHandAfter, string? Reason, string? Reference, string Actor, DateTimeOffset CreatedAt);

public sealed record StockLevel(
    int VariantId, int ProductId, string Sku, int OnHand, int Reserved, int Available, int ReorderPoint, int LeadTimeDays,
    IReadOnlyList<StockMovement> Movements);

public sealed record LowStockItem(
    int VariantId, int ProductId, string ProductName, string Sku, IReadOnlyDictionary<string, string> Options,
    int OnHand, int Reserved, int Available, int ReorderPoint, int LeadTimeDays, int UnitsSold);

public sealed record LowStockPage(IReadOnlyList<LowStockItem> Items, int Total, int Page, int PageSize);

public sealed record OptionInput(string Name, List<string> Values);

public sealed record VariantInput(string Sku, Dictionary<string, string> Options, decimal Price, int OnHand, int? ReorderPoint, int? LeadTimeDays);

public sealed record CreateProductRequest(
    string Name, string? Slug, string Description, int BrandId, int CategoryId, List<string> Tags,
    List<OptionInput> Options, List<VariantInput> Variants);

public sealed record UpdateProductRequest(string Name, string Slug, string Description, int BrandId, int CategoryId, List<string> Tags);

public sealed record UpdateVariantRequest(decimal? Price, int? ReorderPoint, int? LeadTimeDays);

public sealed record AdjustStockRequest(int Quantity, string Kind, string Reason, string? Reference);

public sealed record SetStockRequest(int OnHand, string Reason);

/// <summary>Published by CatalogApi on the Redis channel <c>catalog:stock</c> after every stock change.</summary>
public sealed record StockChanged(int VariantId, int ProductId, string Sku, int OnHand, int Reserved, int Available, string Change, DateTimeOffset At);

/// <summary>A variant's stock and reorder settings (GET /api/stock/levels?ids=).</summary>
public sealed record StockLevelItem(
    int VariantId, int ProductId, string ProductName, string Sku, IReadOnlyDictionary<string, string> Options,
    int OnHand, int Reserved, int Available, int ReorderPoint, int LeadTimeDays, bool Archived);

public sealed record StockLevelPage(IReadOnlyList<StockLevelItem> Items, int Total, int Page, int PageSize);
