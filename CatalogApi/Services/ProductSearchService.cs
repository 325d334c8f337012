using CatalogApi.Infrastructure;
using CatalogApi.Model;
using CatalogApi.Services.Search;
using Microsoft.Extensions.Options;

namespace CatalogApi.Services;

/// <summary>
/// <c>GET /api/catalog/products</c>: search with typo correction, filters, sort, paging and facet counts, answered
/// from the in-process <see cref="CatalogIndex"/> (no database round trip), behind <see cref="CatalogCache"/>'s memory
/// (not Redis: the index answers a page in about the time a Redis round trip takes).
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
            : cache.GetLocalListAsync("products?" + search.CacheKey, ct => RunAsync(search, ct), cancellationToken)!;

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

    /// <summary>
    /// Spec filters and a spec sort need a category whose sheet has the spec (every chosen category's, when several
    /// are chosen), of the right kind: errors keyed <c>spec</c> and <c>sort</c>, for a 400.
    /// </summary>
    public async Task<Dictionary<string, string[]>> CheckSpecsAsync(ProductSearch search, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (search.Specs.Count == 0 && search.SpecSort is null)
        {
            return errors;
        }
        await index.EnsureCurrentAsync(cancellationToken);
        var applicable = index.Read(state => IndexQuery.Applicable(state, search.Categories)).ToDictionary(d => d.Key);
        var where = search.Categories.Count == 0 ? "Choose a category (category=...) to filter or sort by specifications" : "The chosen categories have";
        foreach (var filter in search.Specs)
        {
            if (!applicable.TryGetValue(filter.Key, out var definition))
            {
                errors["spec"] = [search.Categories.Count == 0 ? where + "." : $"{where} no specification '{filter.Key}': use one of {Keys(applicable)}."];
            }
            else if (definition.IsNumber != filter.IsRange)
            {
                errors["spec"] = [definition.IsNumber
                    ? $"{definition.Label} is a number: filter it with a range such as {filter.Key}:MIN..MAX."
                    : $"{definition.Label} is a choice: filter it with values such as {filter.Key}:{definition.Choices![0].ToLowerInvariant()}."];
            }
        }
        if (search.SpecSort is { } sort && !applicable.ContainsKey(sort.Key))
        {
            errors["sort"] = [search.Categories.Count == 0 ? where + "." : $"{where} no specification '{sort.Key}' to sort by: use one of {Keys(applicable)}."];
        }
        return errors;

        static string Keys(Dictionary<string, SpecDefinition> applicable) => applicable.Count == 0 ? "(none)" : string.Join(", ", applicable.Keys);
    }

    private static ProductPage Empty(ProductSearch search) =>
        new([], 0, search.Page, search.PageSize, new ProductFacets([], [], new Dictionary<string, IReadOnlyList<FacetValue>>(), []), null);
}
