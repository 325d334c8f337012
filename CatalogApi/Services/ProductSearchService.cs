using CatalogApi.Infrastructure;
using CatalogApi.Model;
using CatalogApi.Services.Search;
using Microsoft.Extensions.Options;

namespace CatalogApi.Services;

/// <summary>
/// <c>GET /api/catalog/products</c>: search with typo correction, filters, sort, paging and facet counts, answered
/// from the in-process <see cref="CatalogIndex"/> (no database round trip), behind <see cref="CatalogCache"/>.
/// <list type="bullet">
/// <item>Text: each query word the catalog does not know (by English stem, or as the start of a catalog word for the
/// last word) is replaced by the closest catalog word; every word must then match a product's text (name, brand,
/// category path, tags, description, option values) by stem, the last word also as a prefix.</item>
/// <item>Filters: category (with its sub-categories), brand, and per variant price range, option values and in stock;
/// the variant filters apply together to the same variant ("a red M in stock under 100").</item>
/// <item>Facets: brand and option facets are counted with every filter except their own (picking a brand still shows
/// the other brands' counts); the category facet counts the hits per category (the leaves under a chosen category), so
/// its counts always add up to the total, and the brand counts do when no brand is chosen. Option counts are products
/// having a matching variant with that value. Option values come in their natural order (XS before S, 38 before 40).</item>
/// </list>
/// </summary>
public sealed class ProductSearchService(CatalogIndex index, CatalogCache cache, IOptions<CatalogOptions> options)
{
    public Task<ProductPage> SearchAsync(ProductSearch search, CancellationToken cancellationToken) =>
        search.MatchesNothing
            ? Task.FromResult(Empty(search))
            : cache.GetListAsync("products?" + search.CacheKey, ct => RunAsync(search, ct), cancellationToken)!;

    private async Task<ProductPage?> RunAsync(ProductSearch search, CancellationToken cancellationToken)
    {
        using var activity = CatalogTelemetry.Source.StartActivity("catalog search");
        await index.EnsureCurrentAsync(cancellationToken);
        var imageBase = options.Value.ImageBaseUrl.TrimEnd('/') + "/api/catalog/products/";
        var page = index.Read(state =>
        {
            var words = IndexQuery.Correct(state, search.Words);
            var result = IndexQuery.Run(state, search, words, imageBase);
            return words.SequenceEqual(search.Words) ? result : result with { CorrectedQuery = string.Join(' ', words) };
        });
        activity?.SetTag("catalog.search.corrected", page.CorrectedQuery is not null);
        activity?.SetTag("catalog.search.total", page.Total);
        return page;
    }

    private static ProductPage Empty(ProductSearch search) =>
        new([], 0, search.Page, search.PageSize, new ProductFacets([], [], new Dictionary<string, IReadOnlyList<FacetValue>>()), null);
}
