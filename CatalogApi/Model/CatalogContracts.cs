using System.Text.Json.Serialization;

namespace CatalogApi.Model;

// Response shapes of /api/catalog (JSON, camelCase). The storefront, the assistant and the tests read these names.

/// <summary>One product in a listing; prices and stock are those of its variants that match the filters.</summary>
public sealed record ProductSummary(
    int Id,
    string Slug,
    string Name,
    string Brand,
    string BrandSlug,
    string Category,
    string CategorySlug,
    decimal PriceFrom,
    decimal PriceTo,
    bool InStock,
    string ImageUrl,
    RatingSummary Rating);

/// <summary>A product's rating: the average of its visible reviews' stars (null when there are none) and how many there are.</summary>
public sealed record RatingSummary(decimal? Average, int Count)
{
    public static readonly RatingSummary None = new(null, 0);
}

/// <summary>A facet value: what to pass back as a filter, its display name, and how many products have it.</summary>
public sealed record FacetValue(
    string Value,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Label,
    int Count);

/// <param name="Specs">The spec facets of the chosen categories' sheet (none without a category).</param>
public sealed record ProductFacets(
    IReadOnlyList<FacetValue> Categories,
    IReadOnlyList<FacetValue> Brands,
    IReadOnlyDictionary<string, IReadOnlyList<FacetValue>> Options,
    IReadOnlyList<SpecFacet> Specs);

/// <summary>A page of products with the facet counts of the whole result.</summary>
/// <param name="CorrectedQuery">The search text as it was run when a misspelt word was replaced, else null.</param>
public sealed record ProductPage(
    IReadOnlyList<ProductSummary> Items,
    int Total,
    int Page,
    int PageSize,
    ProductFacets Facets,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CorrectedQuery);

public sealed record CategoryRef(int Id, string Slug, string Name);

public sealed record ProductImage(string Url, string? Colour, string Alt);

public sealed record ProductOptionResponse(string Name, IReadOnlyList<string> Values);

/// <summary>A variant as shoppers see it: <see cref="Available"/> is on hand minus reserved.</summary>
public sealed record VariantResponse(int Id, string Sku, IReadOnlyDictionary<string, string> Options, decimal Price, int Available);

/// <summary>A page of product details in id order (<c>GET /api/catalog/product-details</c>).</summary>
/// <param name="NextAfterId">The <c>afterId</c> of the next page; null when this page is the last.</param>
public sealed record ProductDetailPage(IReadOnlyList<ProductDetail> Items, int? NextAfterId);

public sealed record ProductDetail(
    int Id,
    string Slug,
    string Name,
    string Description,
    string Brand,
    int BrandId,
    string BrandSlug,
    string Category,
    int CategoryId,
    string CategorySlug,
    IReadOnlyList<CategoryRef> CategoryPath,
    IReadOnlyList<string> Tags,
    IReadOnlyList<ProductImage> Images,
    IReadOnlyList<ProductOptionResponse> Options,
    IReadOnlyList<VariantResponse> Variants,
    decimal? PriceFrom,
    decimal? PriceTo,
    bool InStock,
    DateTimeOffset CreatedAt,
    bool Archived,
    IReadOnlyList<ProductSpec> Specs,
    RatingSummary Rating);

/// <summary>A node of the category tree; <see cref="ProductCount"/> includes the products of its sub-categories.</summary>
public sealed record CategoryNode(int Id, string Slug, string Name, int ProductCount, IReadOnlyList<CategoryNode> Children);

public sealed record BrandResponse(int Id, string Slug, string Name, int ProductCount);

/// <summary>A variant with its product, for callers that hold variant ids (carts, orders, the assistant).</summary>
public sealed record VariantInfo(
    int Id,
    string Sku,
    int ProductId,
    string ProductSlug,
    string ProductName,
    string Brand,
    IReadOnlyDictionary<string, string> Options,
    decimal Price,
    int Available,
    string ImageUrl,
    bool Archived);

/// <summary>
/// A product as a list of chosen products needs it (favourites): name, picture, price range, whether any variant is
/// available now, and each variant's stock. <see cref="Archived"/>: no longer sold.
/// </summary>
public sealed record ProductAvailability(
    int Id,
    string Slug,
    string Name,
    string Brand,
    string ImageUrl,
    decimal? PriceFrom,
    decimal? PriceTo,
    bool InStock,
    bool Archived,
    IReadOnlyList<VariantResponse> Variants);
