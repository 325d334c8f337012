using System.ComponentModel;
using System.Globalization;
using AssistantApi.Model;
using AssistantApi.Services;
using AssistantApi.Tools;
using Microsoft.SemanticKernel;

namespace AssistantApi.Plugins;

/// <summary>
/// Product specifications (anyone may): searching a category by its spec sheet (sleeps 4 or more, lightest first) and
/// comparing products side by side or by one quality ("which is warmest?"). Every answer carries the values it rests
/// on, so the reply can state them.
/// </summary>
public sealed class SpecsPlugin(TurnContext turn, CatalogClient catalog, CatalogIndex index)
{
    public const int MaxResults = 6;

    /// <summary>Shoppers' words for a quality, and the words of the sort labels that order by it ("Lightest first").</summary>
    private static readonly (string[] Words, string[] Labels)[] Qualities =
    [
        (["light", "lighter", "lightest", "lightweight", "ultralight"], ["lightest"]),
        (["warm", "warmer", "warmest", "warmth"], ["warmest"]),
        (["big", "bigger", "biggest", "large", "larger", "largest", "roomy", "roomier", "roomiest", "spacious"], ["largest", "most sleeping places"]),
        (["waterproof", "dry", "drier", "driest"], ["most waterproof"]),
        (["bright", "brighter", "brightest"], ["brightest"]),
        (["breathable", "breathes"], ["most breathable"]),
        (["strong", "stronger", "strongest"], ["strongest"]),
        (["long", "longer", "longest"], ["longest"]),
        (["wide", "wider", "widest"], ["widest"]),
        (["thick", "thicker", "thickest"], ["thickest"]),
        (["thin", "thinner", "thinnest"], ["thinnest"]),
    ];

    /// <summary>The shopper's quality word ("lightest") if it is one we know.</summary>
    public static bool IsQuality(string word) => Qualities.Any(q => q.Words.Contains(word));

    /// <summary>The spec of a sheet a quality word or a spec key names: "lightest" is the one sorted "Lightest first".</summary>
    public static CatalogSpecDefinition? Resolve(IReadOnlyList<CatalogSpecDefinition> sheet, string? wordOrKey)
    {
        var word = Engines.Local.Text.Fold(wordOrKey ?? "").Trim();
        if (word.Length == 0)
        {
            return null;
        }
        if (sheet.FirstOrDefault(d => d.Key == word || Engines.Local.Text.Fold(d.Label) == word) is { } byKey)
        {
            return byKey;
        }
        foreach (var label in Qualities.Where(q => q.Words.Contains(word)).SelectMany(q => q.Labels))
        {
            if (sheet.FirstOrDefault(d => d.SortLabel?.Contains(label, StringComparison.OrdinalIgnoreCase) == true) is { } found)
            {
                return found;
            }
        }
        return null;
    }

    [KernelFunction("search_by_specs"), Description("Search one category by its specifications: how many people a tent sleeps, sorted by a quality such as lightest, warmest or largest, with a price range. Answers each product's relevant values.")]
    public async Task<SpecSearchResult> SearchBySpecsAsync(
        [Description("A category name, e.g. \"Tents\" or \"Sleeping Bags\"")] string category,
        [Description("At least this many people (sleeping capacity)")] int? persons = null,
        [Description("Sort by a quality or spec: \"lightest\", \"warmest\", \"largest\", \"most waterproof\", or a spec key such as \"weight\"")] string? sortBy = null,
        [Description("Further spec filters as the catalog takes them, separated by ';': \"weight:..2000\", \"fill:down\"")] string? filters = null,
        [Description("Lowest price in EUR")] decimal? minPrice = null,
        [Description("Highest price in EUR")] decimal? maxPrice = null,
        [Description("Search words")] string? query = null,
        CancellationToken cancellationToken = default)
    {
        var snapshot = await index.GetAsync(cancellationToken);
        var found = snapshot.FindCategory(category ?? "") ?? throw new ToolException($"There is no category called \"{category}\".");
        var sheet = await catalog.GetSpecDefinitionsAsync(found.Slug, cancellationToken);
        var parameters = new List<string> { $"category={Uri.EscapeDataString(found.Slug)}", $"pageSize={MaxResults}" };
        var applied = new List<string>();
        var notApplied = new List<string>();
        var keys = new List<string>();

        if (persons is > 0)
        {
            if (sheet.FirstOrDefault(d => d.Unit == "persons") is { } capacity)
            {
                parameters.Add($"spec={capacity.Key}:{persons}..");
                applied.Add($"{capacity.Label.ToLowerInvariant()} {persons} {(persons == 1 ? "person" : "persons")} or more");
                keys.Add(capacity.Key);
            }
            else
            {
                notApplied.Add($"capacity (for {persons} people)");
            }
        }
        foreach (var filter in (filters ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var key = filter.Split(':')[0].Trim().ToLowerInvariant();
            if (sheet.FirstOrDefault(d => d.Key == key) is { } definition)
            {
                parameters.Add("spec=" + Uri.EscapeDataString(filter));
                applied.Add($"{definition.Label.ToLowerInvariant()} {filter[(filter.IndexOf(':') + 1)..]}");
                keys.Add(key);
            }
            else
            {
                notApplied.Add(filter);
            }
        }
        if (!string.IsNullOrWhiteSpace(sortBy))
        {
            if (Resolve(sheet, sortBy) is { Sort: not null } sort)
            {
                parameters.Add("sort=spec:" + sort.Key);
                applied.Add($"{sort.SortLabel!.ToLowerInvariant()} ({sort.Label.ToLowerInvariant()})");
                keys.Insert(0, sort.Key);
            }
            else
            {
                notApplied.Add($"\"{sortBy.Trim()}\"");
            }
        }
        if (minPrice is > 0)
        {
            parameters.Add("minPrice=" + ShopHttp.Invariant(minPrice.Value));
            applied.Add($"from €{minPrice.Value.ToString("0.##", CultureInfo.InvariantCulture)}");
        }
        if (maxPrice is > 0)
        {
            parameters.Add("maxPrice=" + ShopHttp.Invariant(maxPrice.Value));
            applied.Add($"up to €{maxPrice.Value.ToString("0.##", CultureInfo.InvariantCulture)}");
        }
        if (!string.IsNullOrWhiteSpace(query))
        {
            parameters.Add("q=" + Uri.EscapeDataString(query.Trim()));
        }

        var page = await catalog.SearchAsync(string.Join('&', parameters), cancellationToken);
        var details = await Task.WhenAll(page.Items.Select(i => catalog.GetProductAsync(i.Id, cancellationToken)));
        var hits = details.Select(d => new SpecHit(ToolShapes.Hit(d), Values(d, keys))).ToList();
        turn.Conversation.LastResults = [.. hits.Select(h => new ProductRef(h.Product.ProductId, h.Product.Name))];
        turn.Conversation.LastSearch = new SearchFilters(query, found.Name, null, minPrice, maxPrice, null, null, null);
        return new SpecSearchResult(page.Total, found.Name, applied, notApplied, hits);
    }

    [KernelFunction("compare_products"), Description("Compare 2 to 6 products of one category by their specifications, side by side; with a quality (\"warmest\", \"lightest\"), say which has most of it.")]
    public async Task<SpecComparison> CompareProductsAsync(
        [Description("The products' ids (from a search), 2 to 6")] int[] productIds,
        [Description("A quality to rank them by, e.g. \"warmest\" or \"lightest\", or a spec key")] string? quality = null,
        CancellationToken cancellationToken = default)
    {
        var ids = (productIds ?? []).Distinct().Take(MaxResults).ToList();
        if (ids.Count < 2)
        {
            throw new ToolException("Name at least two products to compare.");
        }
        var products = (await Task.WhenAll(ids.Select(id => catalog.GetProductAsync(id, cancellationToken)))).Where(p => !p.Archived).ToList();
        if (products.Count < 2)
        {
            throw new ToolException("Some of those products are no longer sold.");
        }
        var category = products[0].CategorySlug;
        products = [.. products.Where(p => p.CategorySlug == category)];
        if (products.Count < 2)
        {
            throw new ToolException("Only products of one category can be compared.");
        }
        var sheet = await catalog.GetSpecDefinitionsAsync(category, cancellationToken);
        var hits = products.Select(p => new SpecHit(ToolShapes.Hit(p), Values(p, null))).ToList();
        var differences = sheet
            .Where(d => products.Select(p => p.Specs?.FirstOrDefault(s => s.Key == d.Key)?.Display).Distinct().Count() > 1)
            .Select(d => d.Label).ToList();

        SpecBest? best = null;
        string? notApplied = null;
        if (!string.IsNullOrWhiteSpace(quality))
        {
            if (Resolve(sheet, quality) is { Sort: not null } spec)
            {
                var ranked = products
                    .Select(p => (Product: p, Value: p.Specs?.FirstOrDefault(s => s.Key == spec.Key)))
                    .Where(x => x.Value?.Number is not null)
                    .OrderBy(x => spec.Sort == "desc" ? -x.Value!.Number!.Value : x.Value!.Number!.Value)
                    .ToList();
                if (ranked.Count > 0)
                {
                    best = new SpecBest(ranked[0].Product.Id, ranked[0].Product.Name, spec.Label, ranked[0].Value!.Display, spec.SortLabel!);
                    // The ranking's order is the order the reply lists them in.
                    hits = [.. hits.OrderBy(h => ranked.FindIndex(r => r.Product.Id == h.Product.ProductId) is var at && at < 0 ? int.MaxValue : at)];
                }
            }
            else
            {
                notApplied = quality.Trim();
            }
        }
        turn.Conversation.LastResults = [.. hits.Select(h => new ProductRef(h.Product.ProductId, h.Product.Name))];
        return new SpecComparison(hits, differences, best, notApplied);
    }

    /// <summary>A product's spec values: those of <paramref name="keys"/> in that order, or its whole sheet.</summary>
    private static List<SpecShown> Values(CatalogProductDetail product, List<string>? keys)
    {
        var specs = product.Specs ?? [];
        var chosen = keys is { Count: > 0 } ? keys.Distinct().Select(k => specs.FirstOrDefault(s => s.Key == k)).OfType<CatalogSpec>() : specs;
        return [.. chosen.Select(s => new SpecShown(s.Key, s.Label, s.Display, s.Number))];
    }
}
