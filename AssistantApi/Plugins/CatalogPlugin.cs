using System.ComponentModel;
using AssistantApi.Model;
using AssistantApi.Services;
using AssistantApi.Tools;
using Microsoft.SemanticKernel;

namespace AssistantApi.Plugins;

/// <summary>
/// Looking things up in the catalog (anyone may): search, a product's details and stock, when a sold-out variant comes
/// back (from the forecast worker), and what is often bought with it (from order history).
/// </summary>
public sealed class CatalogPlugin(TurnContext turn, CatalogClient catalog, OrderingClient ordering, ForecastClient forecasts, CatalogIndex index)
{
    public const int MaxSearchResults = 6;

    [KernelFunction("search_products"), Description("Search the shop's products by words, category, brand, price range, colour or size; sort by price, newest or best-selling.")]
    public async Task<SearchResult> SearchProductsAsync(
        [Description("Search words, e.g. \"waterproof jacket\"")] string? query = null,
        [Description("A category name, e.g. \"Tents\" or \"Hiking Boots\"")] string? category = null,
        [Description("A brand name")] string? brand = null,
        [Description("Lowest price in EUR")] decimal? minPrice = null,
        [Description("Highest price in EUR")] decimal? maxPrice = null,
        [Description("A colour, e.g. \"red\"")] string? color = null,
        [Description("A size, e.g. \"M\" or \"42\"")] string? size = null,
        [Description("price-asc, price-desc, newest, best-selling or relevance")] string? sort = null,
        CancellationToken cancellationToken = default)
    {
        var snapshot = await index.GetAsync(cancellationToken);
        var parameters = new List<string> { $"pageSize={MaxSearchResults}", "page=1" };
        var words = new List<string>();
        var catalogFilter = false;
        // Names the catalog knows become filters; anything else is searched as words.
        if (!string.IsNullOrWhiteSpace(category))
        {
            if (snapshot.FindCategory(category) is { } found)
            {
                parameters.Add("category=" + Uri.EscapeDataString(found.Slug));
                catalogFilter = true;
            }
            else
            {
                words.Add(category.Trim());
            }
        }
        if (!string.IsNullOrWhiteSpace(brand))
        {
            if (snapshot.FindBrand(brand) is { } found)
            {
                parameters.Add("brand=" + Uri.EscapeDataString(found.Slug));
                catalogFilter = true;
            }
            else
            {
                words.Add(brand.Trim());
            }
        }
        if (minPrice is > 0)
        {
            parameters.Add("minPrice=" + ShopHttp.Invariant(minPrice.Value));
        }
        if (maxPrice is > 0)
        {
            parameters.Add("maxPrice=" + ShopHttp.Invariant(maxPrice.Value));
        }
        if (!string.IsNullOrWhiteSpace(color))
        {
            parameters.Add("colour=" + Uri.EscapeDataString(color.Trim().ToLowerInvariant()));
        }
        if (!string.IsNullOrWhiteSpace(size))
        {
            parameters.Add("size=" + Uri.EscapeDataString(size.Trim().ToLowerInvariant()));
        }
        var sortValue = NormalizeSort(sort);
        if (sortValue is not null)
        {
            parameters.Add("sort=" + sortValue);
        }
        var page = await catalog.SearchAsync(WithWords(parameters, string.IsNullOrWhiteSpace(query) ? words : [query.Trim(), .. words]), cancellationToken);
        string? ignored = null;
        IReadOnlyList<ProductHit>? closest = null;
        if (page.Total == 0 && LooksLikeAName(query))
        {
            // A product we do not have ("Glacier Max 5000"): the real names that look most like it, not a category listing.
            var categorySlug = category is null ? null : snapshot.FindCategory(category)?.Slug;
            var details = await Task.WhenAll(snapshot.Closest(query!, categorySlug, 3).Select(p => catalog.GetProductAsync(p.Id, cancellationToken)));
            closest = [.. details.Where(d => !d.Archived).Select(ToolShapes.Hit)];
        }
        // Words the catalog does not know ("a *warm* sleeping bag") must not hide the category or brand the shopper
        // named: when, beside such a filter, they match nothing, the search runs again without them and says so.
        else if (page.Total == 0 && catalogFilter && !string.IsNullOrWhiteSpace(query))
        {
            var without = await catalog.SearchAsync(WithWords(parameters, words), cancellationToken);
            if (without.Total > 0)
            {
                (page, ignored, query) = (without, query.Trim(), null);
            }
        }
        var hits = page.Items.Select(p => new ProductHit(p.Id, p.Name, p.Brand, p.Category, p.PriceFrom, p.PriceTo, p.InStock, p.Slug, p.ImageUrl)).ToList();
        var filters = new SearchFilters(query, category, brand, minPrice, maxPrice, color, size, sortValue);
        var result = new SearchResult(page.Total, page.CorrectedQuery, filters, hits, ignored, closest);
        turn.Conversation.LastResults = [.. result.Shown().Select(h => new ProductRef(h.ProductId, h.Name))];
        turn.Conversation.LastSearch = filters;
        return result;
    }

    /// <summary>Search words that name a product rather than describe one: two words or more, capitalised or with a model number.</summary>
    private static bool LooksLikeAName(string? query) =>
        query?.Split(' ', StringSplitOptions.RemoveEmptyEntries) is { Length: >= 2 } words
        && words.Any(w => char.IsUpper(w[0]) || w.Any(char.IsDigit));

    /// <summary>The query string: the filters, and the search words (if any) as <c>q</c>.</summary>
    private static string WithWords(List<string> parameters, List<string> words)
    {
        if (words.Count == 0)
        {
            return string.Join('&', parameters);
        }
        var text = string.Join(' ', words);
        return string.Join('&', parameters) + "&q=" + Uri.EscapeDataString(text.Length > 200 ? text[..200] : text);
    }


    [KernelFunction("get_product_details"), Description("A product's description, price, options (sizes, colours) and the stock of each variant.")]
    public async Task<ProductDetails> GetProductDetailsAsync(
        [Description("The product's id (from search_products)")] int productId, CancellationToken cancellationToken = default)
    {
        var product = await catalog.GetProductAsync(productId, cancellationToken);
        turn.Discuss(product);
        return ToolShapes.Details(product);
    }


    [KernelFunction("check_availability"), Description("Whether a product is in stock, optionally in a given colour and/or size, and how many are available.")]
    public async Task<AvailabilityResult> CheckAvailabilityAsync(
        [Description("The product's id")] int productId,
        [Description("A colour to check, e.g. \"red\"")] string? color = null,
        [Description("A size to check, e.g. \"M\" or \"42\"")] string? size = null,
        CancellationToken cancellationToken = default)
    {
        var product = await catalog.GetProductAsync(productId, cancellationToken);
        turn.Discuss(product);
        var conversation = turn.Conversation;
        conversation.Color = string.IsNullOrWhiteSpace(color) ? conversation.Color : color.Trim();
        conversation.Size = string.IsNullOrWhiteSpace(size) ? conversation.Size : size.Trim();

        var matching = VariantMatcher.Filter(product.Variants, color, size, out var note);
        var inStock = product.Variants.Where(v => v.Available > 0).ToList();
        if (matching.Count == 1)
        {
            conversation.VariantId = matching[0].Id;
        }
        return new AvailabilityResult(
            product.Id, product.Name, product.Slug, ToolShapes.ImageUrl(product), color, size,
            matching.Any(v => v.Available > 0), matching.Sum(v => v.Available),
            [.. matching.Take(ToolShapes.MaxVariants).Select(ToolShapes.Stock)],
            [.. inStock.Select(v => VariantMatcher.Option(v, "Colour")).OfType<string>().Distinct()],
            [.. inStock.Select(v => VariantMatcher.Option(v, "Size")).OfType<string>().Distinct()],
            note);
    }


    [KernelFunction("get_restock_estimate"), Description("When a sold-out product (or one colour/size of it) is expected back in stock.")]
    public async Task<RestockResult> GetRestockEstimateAsync(
        [Description("The product's id")] int productId,
        [Description("Only this colour")] string? color = null,
        [Description("Only this size")] string? size = null,
        CancellationToken cancellationToken = default)
    {
        var product = await catalog.GetProductAsync(productId, cancellationToken);
        turn.Discuss(product);
        var variants = VariantMatcher.Filter(product.Variants, color, size, out var note);
        var soldOut = variants.Where(v => v.Available <= 0).Take(8).ToList();
        var estimates = await Task.WhenAll(soldOut.Select(async v =>
        {
            var estimate = await forecasts.GetRestockEstimateAsync(v.Id, cancellationToken);
            return new RestockItem(v.Id, VariantMatcher.Describe(v.Options), estimate.Available, estimate.ExpectedInDays, estimate.ExpectedDate, estimate.Basis);
        }));
        return new RestockResult(product.Id, product.Name, soldOut.Count > 0, estimates, note);
    }


    [KernelFunction("recommend_products"), Description("Products often bought together with a product, from real order history.")]
    public async Task<RecommendationResult> RecommendProductsAsync(
        [Description("The product's id")] int productId, CancellationToken cancellationToken = default)
    {
        var productTask = catalog.GetProductAsync(productId, cancellationToken);
        var together = await ordering.BoughtTogetherAsync(productId, 5, cancellationToken);
        var product = await productTask;
        turn.Discuss(product);
        var others = await Task.WhenAll(together.Items.Select(async item =>
        {
            try
            {
                return await catalog.GetProductAsync(item.ProductId, cancellationToken);
            }
            catch (ToolException)
            {
                return null; // archived since
            }
        }));
        var hits = others.OfType<CatalogProductDetail>().Where(p => !p.Archived)
            .Select(ToolShapes.Hit)
            .ToList();
        turn.Conversation.LastResults = [.. hits.Select(h => new ProductRef(h.ProductId, h.Name))];
        return new RecommendationResult(product.Id, product.Name, "bought together in past orders", hits);
    }


    public static string? NormalizeSort(string? sort)
    {
        var folded = Engines.Local.Text.Fold(sort ?? "").Replace('_', '-').Trim();
        return folded switch
        {
            "" or "relevance" => null,
            "price" or "price-asc" or "cheapest" or "price-low" or "asc" => "price-asc",
            "price-desc" or "most-expensive" or "price-high" or "desc" => "price-desc",
            "newest" or "new" or "latest" => "newest",
            "best-selling" or "bestselling" or "popular" or "popularity" or "best-sellers" => "best-selling",
            "name" => "name",
            _ => null,
        };
    }

    private static string CleanOrderReference(string orderId)
    {
        var reference = orderId.Trim().TrimStart('#').Trim();
        if (reference.Length is 0 or > 40 || !reference.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new ToolException("That does not look like an order number.");
        }
        return reference;
    }

}
