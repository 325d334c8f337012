namespace AssistantApi.Model;

// What the Specs plugin answers (SpecsPlugin): products with the spec values a reply relies on.

/// <summary>A spec value as the shop shows it: "Packed weight", "2,150 g" (and the number, for ranking).</summary>
public sealed record SpecShown(string Key, string Label, string Display, decimal? Number);

/// <summary>A product with its spec values (all of its sheet, or those the search was about).</summary>
public sealed record SpecHit(ProductHit Product, IReadOnlyList<SpecShown> Specs);

/// <param name="Applied">The constraints applied, in words ("sleeping capacity 4 persons or more", "lightest first (packed weight)").</param>
/// <param name="NotApplied">Wishes this category's sheet has no spec for, in words.</param>
public sealed record SpecSearchResult(
    int Total, string Category, IReadOnlyList<string> Applied, IReadOnlyList<string> NotApplied, IReadOnlyList<SpecHit> Products)
{
    public IEnumerable<ProductHit> Shown() => Products.Select(p => p.Product);
}

/// <summary>The best of the products by one spec, in that spec's natural order ("Warmest first": the lowest comfort temperature).</summary>
public sealed record SpecBest(int ProductId, string Name, string Label, string Display, string Order);

/// <param name="Differences">The labels of the specs whose values differ between the products.</param>
/// <param name="Best">With a quality asked about ("warmest"), the product that has most of it.</param>
/// <param name="NotApplied">A quality asked about that the category's sheet has no spec for.</param>
public sealed record SpecComparison(IReadOnlyList<SpecHit> Products, IReadOnlyList<string> Differences, SpecBest? Best, string? NotApplied)
{
    public IEnumerable<ProductHit> Shown() => Products.Select(p => p.Product);
}
