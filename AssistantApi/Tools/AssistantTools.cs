using System.ComponentModel;
using System.Globalization;
using AssistantApi.Model;
using AssistantApi.Services;
using Microsoft.Extensions.AI;

namespace AssistantApi.Tools;

/// <summary>What a turn's tools need to know: who is asking, the conversation, and whether this message is a clear "yes".</summary>
public sealed record TurnContext(CallerKind Caller, Conversation Conversation, bool UserConfirmed);

/// <summary>
/// The assistant's tools. Each is a thin typed call to the shop's APIs as the signed-in user (the clients forward the
/// caller's token), answering a small record the model reads. <see cref="For"/> offers each caller only what they
/// may do: lookups for everyone, cart and orders for signed-in users, forecasts for admins.
/// </summary>
public sealed class AssistantTools(CatalogClient catalog, OrderingClient ordering, ForecastClient forecasts, CatalogIndex index)
{
    public const int MaxSearchResults = 6;
    public const int MaxVariants = 60;

    /// <summary>Tools any visitor may use: they only look things up.</summary>
    public static readonly IReadOnlySet<string> LookupTools = new HashSet<string>(StringComparer.Ordinal)
    {
        "search_products", "get_product_details", "check_availability", "get_restock_estimate", "get_store_policy", "recommend_products",
    };

    /// <summary>Tools that act for a signed-in customer.</summary>
    public static readonly IReadOnlySet<string> CustomerTools = new HashSet<string>(StringComparer.Ordinal)
    {
        "add_to_cart", "view_cart", "place_order", "get_order_status", "list_my_orders", "cancel_order",
    };

    /// <summary>Tools for the shop's staff only; never offered to anybody else.</summary>
    public static readonly IReadOnlySet<string> AdminTools = new HashSet<string>(StringComparer.Ordinal)
    {
        "get_demand_forecast", "get_reorder_suggestions",
    };

    private TurnContext _turn = null!;

    /// <summary>The tools this caller may use in this turn.</summary>
    public IReadOnlyList<AIFunction> For(TurnContext turn)
    {
        _turn = turn;
        var json = ShopHttp.Json;
        var tools = new List<AIFunction>
        {
            AIFunctionFactory.Create(SearchProductsAsync, "search_products",
                "Search the shop's products by words, category, brand, price range, colour or size; sort by price, newest or best-selling.", json),
            AIFunctionFactory.Create(GetProductDetailsAsync, "get_product_details",
                "A product's description, price, options (sizes, colours) and the stock of each variant.", json),
            AIFunctionFactory.Create(CheckAvailabilityAsync, "check_availability",
                "Whether a product is in stock, optionally in a given colour and/or size, and how many are available.", json),
            AIFunctionFactory.Create(GetRestockEstimateAsync, "get_restock_estimate",
                "When a sold-out product (or one colour/size of it) is expected back in stock.", json),
            AIFunctionFactory.Create(GetStorePolicy, "get_store_policy",
                "The shop's policy on shipping, returns, payment or warranty.", json),
            AIFunctionFactory.Create(RecommendProductsAsync, "recommend_products",
                "Products often bought together with a product, from real order history.", json),
        };
        if (turn.Caller is CallerKind.Customer or CallerKind.Admin)
        {
            tools.Add(AIFunctionFactory.Create(AddToCartAsync, "add_to_cart",
                "Add a product variant (one size/colour combination) to the user's cart. Use get_product_details first to find the variantId.", json));
            tools.Add(AIFunctionFactory.Create(ViewCartAsync, "view_cart", "The items in the user's cart and its total.", json));
            tools.Add(AIFunctionFactory.Create(PlaceOrderAsync, "place_order",
                "Check out the user's cart (cash on delivery to their saved address). The first call only returns a summary to show the user; " +
                "call it again only after the user has explicitly confirmed with yes.", json));
            tools.Add(AIFunctionFactory.Create(GetOrderStatusAsync, "get_order_status", "The status and contents of one of the user's orders.", json));
            tools.Add(AIFunctionFactory.Create(ListMyOrdersAsync, "list_my_orders", "The user's most recent orders.", json));
            tools.Add(AIFunctionFactory.Create(CancelOrderAsync, "cancel_order", "Cancel one of the user's orders (only before it ships).", json));
        }
        if (turn.Caller is CallerKind.Admin)
        {
            tools.Add(AIFunctionFactory.Create(GetDemandForecastAsync, "get_demand_forecast",
                "Admin: how many units of a product are expected to sell over the next days, with an 80% interval.", json));
            tools.Add(AIFunctionFactory.Create(GetReorderSuggestionsAsync, "get_reorder_suggestions",
                "Admin: which variants to reorder now and how many, most urgent first.", json));
        }
        return tools;
    }

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
        // Words the catalog does not know ("a *warm* sleeping bag") must not hide the category or brand the shopper
        // named: when, beside such a filter, they match nothing, the search runs again without them and says so.
        if (page.Total == 0 && catalogFilter && !string.IsNullOrWhiteSpace(query))
        {
            var without = await catalog.SearchAsync(WithWords(parameters, words), cancellationToken);
            if (without.Total > 0)
            {
                (page, ignored, query) = (without, query.Trim(), null);
            }
        }
        var hits = page.Items.Select(p => new ProductHit(p.Id, p.Name, p.Brand, p.Category, p.PriceFrom, p.PriceTo, p.InStock, p.Slug, p.ImageUrl)).ToList();
        var filters = new SearchFilters(query, category, brand, minPrice, maxPrice, color, size, sortValue);
        _turn.Conversation.LastResults = [.. hits.Select(h => new ProductRef(h.ProductId, h.Name))];
        _turn.Conversation.LastSearch = filters;
        return new SearchResult(page.Total, page.CorrectedQuery, filters, hits, ignored);
    }

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

    public async Task<ProductDetails> GetProductDetailsAsync(
        [Description("The product's id (from search_products)")] int productId, CancellationToken cancellationToken = default)
    {
        var product = await catalog.GetProductAsync(productId, cancellationToken);
        Discuss(product);
        return Details(product);
    }

    public async Task<AvailabilityResult> CheckAvailabilityAsync(
        [Description("The product's id")] int productId,
        [Description("A colour to check, e.g. \"red\"")] string? color = null,
        [Description("A size to check, e.g. \"M\" or \"42\"")] string? size = null,
        CancellationToken cancellationToken = default)
    {
        var product = await catalog.GetProductAsync(productId, cancellationToken);
        Discuss(product);
        var conversation = _turn.Conversation;
        conversation.Color = string.IsNullOrWhiteSpace(color) ? conversation.Color : color.Trim();
        conversation.Size = string.IsNullOrWhiteSpace(size) ? conversation.Size : size.Trim();

        var matching = VariantMatcher.Filter(product.Variants, color, size, out var note);
        var inStock = product.Variants.Where(v => v.Available > 0).ToList();
        if (matching.Count == 1)
        {
            conversation.VariantId = matching[0].Id;
        }
        return new AvailabilityResult(
            product.Id, product.Name, product.Slug, ImageUrl(product), color, size,
            matching.Any(v => v.Available > 0), matching.Sum(v => v.Available),
            [.. matching.Take(MaxVariants).Select(Stock)],
            [.. inStock.Select(v => VariantMatcher.Option(v, "Colour")).OfType<string>().Distinct()],
            [.. inStock.Select(v => VariantMatcher.Option(v, "Size")).OfType<string>().Distinct()],
            note);
    }

    public async Task<CartResult> AddToCartAsync(
        [Description("The variant's id (one size/colour of a product, from get_product_details)")] int variantId,
        [Description("How many, 1 to 99")] int quantity = 1,
        CancellationToken cancellationToken = default)
    {
        if (quantity is < 1 or > 99)
        {
            throw new ToolException("The quantity must be between 1 and 99.");
        }
        var cart = await ordering.AddToCartAsync(variantId, quantity, cancellationToken);
        _turn.Conversation.VariantId = variantId;
        var result = Summarize(cart);
        var added = result.Items.FirstOrDefault(i => i.VariantId == variantId);
        return result with { Added = added is null ? null : added with { Quantity = quantity } };
    }

    public async Task<CartResult> ViewCartAsync(CancellationToken cancellationToken = default) =>
        Summarize(await ordering.GetCartAsync(cancellationToken));

    public async Task<PlaceOrderResult> PlaceOrderAsync(CancellationToken cancellationToken = default)
    {
        var conversation = _turn.Conversation;
        var cart = await ordering.GetCartAsync(cancellationToken);
        if (cart.Lines.Count == 0)
        {
            conversation.PendingOrder = null;
            throw new ToolException("Your cart is empty, so there is nothing to order yet.");
        }
        var profile = await ordering.GetProfileAsync(cancellationToken);
        if (profile.DefaultShippingAddress is not { } address)
        {
            throw new ToolException("There is no saved delivery address in your profile; add one on your account page, or check out from the cart page.");
        }
        var shipTo = $"{address.FullName}, {address.Line1}, {address.PostalCode} {address.City}, {address.Country}";
        var currency = cart.Currency ?? "EUR";

        // The order is placed only when the user said yes to this very summary (same items, same total) in this message.
        var pending = conversation.PendingOrder;
        if (pending is null || !_turn.UserConfirmed || pending.Total != cart.Total || pending.ItemCount != cart.ItemCount)
        {
            conversation.PendingOrder = new PendingOrder(Guid.NewGuid().ToString("N"), cart.ItemCount, cart.Total, DateTimeOffset.UtcNow);
            return new PlaceOrderResult("confirmation_required",
                "Show the user this summary and ask them to confirm with yes before the order is placed.",
                cart.ItemCount, cart.Total, currency, shipTo, null);
        }
        var order = await ordering.PlaceOrderAsync(address, "assistant-" + pending.Id, cancellationToken);
        conversation.PendingOrder = null;
        conversation.RememberOrder(order.Number);
        return new PlaceOrderResult("placed", "The order was placed.", cart.ItemCount, order.Total, order.Currency ?? currency, shipTo, Summarize(order));
    }

    public async Task<OrderSummary> GetOrderStatusAsync(
        [Description("The order's number or id")] string orderId, CancellationToken cancellationToken = default)
    {
        var order = await ordering.GetOrderAsync(CleanOrderReference(orderId), cancellationToken);
        _turn.Conversation.RememberOrder(order.Number);
        return Summarize(order);
    }

    public async Task<OrderList> ListMyOrdersAsync(
        [Description("How many recent orders, 1 to 20")] int limit = 5, CancellationToken cancellationToken = default)
    {
        var page = await ordering.ListOrdersAsync(Math.Clamp(limit, 1, 20), cancellationToken);
        return new OrderList(page.Total, [.. page.Items.Select(Summarize)]);
    }

    public async Task<OrderSummary> CancelOrderAsync(
        [Description("The order's number or id")] string orderId,
        [Description("Why, in a few words")] string? reason = null,
        CancellationToken cancellationToken = default)
    {
        var reference = CleanOrderReference(orderId);
        // Looked up first, as the user: someone else's order is simply not found.
        var order = await ordering.GetOrderAsync(reference, cancellationToken);
        var cancelled = await ordering.CancelOrderAsync(order.Id, reference,
            string.IsNullOrWhiteSpace(reason) ? "Cancelled through the assistant" : reason.Trim()[..Math.Min(reason.Trim().Length, 200)],
            cancellationToken);
        _turn.Conversation.RememberOrder(cancelled.Number);
        return Summarize(cancelled);
    }

    public async Task<RestockResult> GetRestockEstimateAsync(
        [Description("The product's id")] int productId,
        [Description("Only this colour")] string? color = null,
        [Description("Only this size")] string? size = null,
        CancellationToken cancellationToken = default)
    {
        var product = await catalog.GetProductAsync(productId, cancellationToken);
        Discuss(product);
        var variants = VariantMatcher.Filter(product.Variants, color, size, out var note);
        var soldOut = variants.Where(v => v.Available <= 0).Take(8).ToList();
        var estimates = await Task.WhenAll(soldOut.Select(async v =>
        {
            var estimate = await forecasts.GetRestockEstimateAsync(v.Id, cancellationToken);
            return new RestockItem(v.Id, VariantMatcher.Describe(v.Options), estimate.Available, estimate.ExpectedInDays, estimate.ExpectedDate, estimate.Basis);
        }));
        return new RestockResult(product.Id, product.Name, soldOut.Count > 0, estimates, note);
    }

    public PolicyResult GetStorePolicy(
        [Description("shipping, returns, payment or warranty")] string topic) =>
        StorePolicies.Find(topic) ?? throw new ToolException($"There is no policy on that; the topics are {string.Join(", ", StorePolicies.Topics)}.");

    public async Task<RecommendationResult> RecommendProductsAsync(
        [Description("The product's id")] int productId, CancellationToken cancellationToken = default)
    {
        var productTask = catalog.GetProductAsync(productId, cancellationToken);
        var together = await ordering.BoughtTogetherAsync(productId, 5, cancellationToken);
        var product = await productTask;
        Discuss(product);
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
            .Select(p => new ProductHit(p.Id, p.Name, p.Brand, p.Category, p.PriceFrom ?? 0, p.PriceTo ?? 0, p.InStock, p.Slug, ImageUrl(p)))
            .ToList();
        _turn.Conversation.LastResults = [.. hits.Select(h => new ProductRef(h.ProductId, h.Name))];
        return new RecommendationResult(product.Id, product.Name, "bought together in past orders", hits);
    }

    public async Task<ForecastResult> GetDemandForecastAsync(
        [Description("The product's id")] int productId,
        [Description("How many days ahead, 1 to 90")] int horizonDays = 28,
        CancellationToken cancellationToken = default)
    {
        var days = Math.Clamp(horizonDays, 1, 90);
        var product = await catalog.GetProductAsync(productId, cancellationToken);
        Discuss(product);
        var forecast = await forecasts.GetProductForecastAsync(productId, days, cancellationToken);
        var points = forecast.Points.Take(days).ToList();
        return new ForecastResult(product.Id, product.Name, days,
            Math.Round(points.Sum(p => p.Mean), 1), Math.Round(points.Sum(p => p.Lower80), 1), Math.Round(points.Sum(p => p.Upper80), 1),
            forecast.Model, forecast.ShortHistory ? forecast.Note ?? "short sales history" : forecast.Note);
    }

    public async Task<ReorderResult> GetReorderSuggestionsAsync(
        [Description("How many suggestions, 1 to 20")] int limit = 10, CancellationToken cancellationToken = default)
    {
        var suggestions = await forecasts.GetReorderSuggestionsAsync(Math.Clamp(limit, 1, 20), cancellationToken);
        return new ReorderResult(suggestions.Items.Count, [.. suggestions.Items.Select(i => new ReorderLine(
            i.VariantId, i.ProductName, i.Sku, VariantMatcher.Describe(i.Options), i.Available,
            i.DaysOfCover is { } cover ? Math.Round(cover, 1) : null, i.StockoutDate, i.SuggestedQuantity))]);
    }

    private void Discuss(CatalogProductDetail product)
    {
        var conversation = _turn.Conversation;
        if (conversation.Product?.ProductId != product.Id)
        {
            conversation.VariantId = null;
            conversation.Color = null;
            conversation.Size = null;
        }
        conversation.Product = new ProductRef(product.Id, product.Name);
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

    private static ProductDetails Details(CatalogProductDetail p) => new(
        p.Id, p.Name, p.Brand, p.Category, p.Slug, ImageUrl(p), p.Description,
        p.PriceFrom ?? 0, p.PriceTo ?? 0, p.InStock, p.Variants.Sum(v => Math.Max(0, v.Available)),
        p.Options.ToDictionary(o => o.Name, o => o.Values),
        [.. p.Variants.Take(MaxVariants).Select(Stock)]);

    private static VariantStock Stock(CatalogVariant v) => new(v.Id, v.Sku, v.Options, v.Price, Math.Max(0, v.Available));

    /// <summary>The product's first picture, as the catalog links it.</summary>
    public static string ImageUrl(CatalogProductDetail p) => p.Images is [var first, ..] ? first.Url : "";

    private static CartResult Summarize(Cart cart) => new(
        [.. cart.Lines.Select(l => new CartItem(l.VariantId, l.ProductName, VariantMatcher.Describe(l.Options), l.Quantity, l.UnitPrice, l.LineTotal))],
        cart.ItemCount, cart.Total, cart.Currency ?? "EUR", null);

    private static OrderSummary Summarize(Order order)
    {
        var last = order.StatusHistory?.OrderBy(h => h.At).LastOrDefault();
        return new OrderSummary(order.Id, order.Number, order.Status, order.CreatedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            order.Total, order.Currency ?? "EUR", order.Lines.Sum(l => l.Quantity),
            [.. order.Lines.Take(10).Select(l => $"{l.Quantity} x {l.ProductName}{(l.Options is { Count: > 0 } ? " (" + VariantMatcher.Describe(l.Options) + ")" : "")}")],
            last is null ? null : $"{last.Status} on {last.At.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}{(string.IsNullOrWhiteSpace(last.Reason) ? "" : " (" + last.Reason + ")")}");
    }
}
