namespace CatalogApi.Model;

// Request shapes of the admin endpoints. Every field is nullable so that a missing one is reported by name
// (400 with the field) instead of failing JSON binding.

public sealed record OptionInput(string? Name, List<string>? Values);

public sealed record VariantInput(
    string? Sku,
    Dictionary<string, string>? Options,
    decimal? Price,
    int? OnHand,
    int? ReorderPoint,
    int? LeadTimeDays);

public sealed record CreateProductRequest(
    string? Name,
    string? Slug,
    string? Description,
    int? BrandId,
    int? CategoryId,
    List<string>? Tags,
    List<OptionInput>? Options,
    List<VariantInput>? Variants);

/// <summary>Replaces the product's text, brand, category and tags (options and variants are edited separately).</summary>
public sealed record UpdateProductRequest(
    string? Name,
    string? Slug,
    string? Description,
    int? BrandId,
    int? CategoryId,
    List<string>? Tags);

/// <summary>Changes a variant's price and restocking settings; a field left out keeps its value.</summary>
public sealed record UpdateVariantRequest(decimal? Price, int? ReorderPoint, int? LeadTimeDays);

/// <summary>A variant as admins see it, with its stock.</summary>
public sealed record AdminVariantResponse(
    int Id,
    int ProductId,
    string Sku,
    IReadOnlyDictionary<string, string> Options,
    decimal Price,
    int OnHand,
    int Reserved,
    int Available,
    int ReorderPoint,
    int LeadTimeDays,
    int UnitsSold);
