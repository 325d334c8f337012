using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace AssistantApi.Tools;

/// <summary>
/// A tool call that could not be done: not found, not allowed, not enough stock, a service down. The message is
/// what the model (and so the user) is told; it never carries data the caller may not see.
/// </summary>
public sealed class ToolException(string message, HttpStatusCode? status = null) : Exception(message)
{
    public HttpStatusCode? Status { get; } = status;
}

/// <summary>Reads JSON answers and turns failures into <see cref="ToolException"/>s with plain messages.</summary>
public static class ShopHttp
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        // AIFunctionFactory freezes the options it is given, which needs a resolver set.
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    public static async Task<T> ReadAsync<T>(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw await FailureAsync(response, what, cancellationToken);
        }
        return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
            ?? throw new ToolException($"The shop sent an empty answer for {what}.");
    }

    public static async Task<ToolException> FailureAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        var detail = await ProblemDetailAsync(response, cancellationToken);
        var message = response.StatusCode switch
        {
            // 403 reads as "not found" too: a customer never learns that someone else's order exists.
            HttpStatusCode.NotFound or HttpStatusCode.Forbidden => $"{what} was not found.",
            HttpStatusCode.Unauthorized => "You need to sign in for that.",
            HttpStatusCode.Conflict => detail ?? $"{what} cannot be changed that way right now.",
            HttpStatusCode.PaymentRequired => detail ?? "The payment was declined.",
            HttpStatusCode.TooManyRequests => "The shop is busy; please try again in a moment.",
            >= HttpStatusCode.BadRequest and < HttpStatusCode.InternalServerError => detail ?? $"The request for {what} was not accepted.",
            _ => $"The shop could not answer about {what} just now.",
        };
        return new ToolException(message, response.StatusCode);
    }

    /// <summary>The problem's detail (or title), and for a stock conflict how many are available.</summary>
    private static async Task<string?> ProblemDetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (text.Length == 0 || text.Length > 20_000)
            {
                return null;
            }
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            if (response.StatusCode == HttpStatusCode.Conflict
                && root.TryGetProperty("available", out var available) && available.TryGetInt32(out var count))
            {
                return count == 0 ? "That item is out of stock." : $"Only {count} of that item are available.";
            }
            foreach (var name in new[] { "detail", "title" })
            {
                if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 and < 300 } s)
                {
                    return s;
                }
            }
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string Invariant(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>CatalogApi, called anonymously or as the signed-in user (the token is forwarded).</summary>
public sealed class CatalogClient(HttpClient http)
{
    public async Task<CatalogProductPage> SearchAsync(string query, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync("/api/catalog/products?" + query, cancellationToken);
        return await ShopHttp.ReadAsync<CatalogProductPage>(response, "the product search", cancellationToken);
    }

    public async Task<CatalogProductDetail> GetProductAsync(int productId, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"/api/catalog/products/{productId}", cancellationToken);
        return await ShopHttp.ReadAsync<CatalogProductDetail>(response, $"Product {productId}", cancellationToken);
    }

    /// <summary>The spec sheet of a category's products (its own definitions and its ancestors').</summary>
    public async Task<IReadOnlyList<CatalogSpecDefinition>> GetSpecDefinitionsAsync(string categorySlug, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync("/api/catalog/specs?category=" + Uri.EscapeDataString(categorySlug), cancellationToken);
        return await ShopHttp.ReadAsync<IReadOnlyList<CatalogSpecDefinition>>(response, "the specifications", cancellationToken);
    }

    public async Task<IReadOnlyList<CatalogCategory>> GetCategoriesAsync(CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync("/api/catalog/categories", cancellationToken);
        return await ShopHttp.ReadAsync<IReadOnlyList<CatalogCategory>>(response, "the categories", cancellationToken);
    }

    public async Task<IReadOnlyList<CatalogBrand>> GetBrandsAsync(CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync("/api/catalog/brands", cancellationToken);
        return await ShopHttp.ReadAsync<IReadOnlyList<CatalogBrand>>(response, "the brands", cancellationToken);
    }
}

/// <summary>OrderingApi as the signed-in user (token forwarded; an anonymous cart id is passed through).</summary>
public sealed class OrderingClient(HttpClient http)
{
    public async Task<Cart> GetCartAsync(CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync("/api/cart", cancellationToken);
        return await ShopHttp.ReadAsync<Cart>(response, "Your cart", cancellationToken);
    }

    /// <summary>A product's visible reviews with its rating summary (anyone may read them).</summary>
    public async Task<ReviewPage> GetReviewsAsync(int productId, string sort, int pageSize, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"/api/reviews/products/{productId}?sort={sort}&pageSize={pageSize}", cancellationToken);
        return await ShopHttp.ReadAsync<ReviewPage>(response, $"The reviews of product {productId}", cancellationToken);
    }

    public async Task<Cart> AddToCartAsync(int variantId, int quantity, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("/api/cart/items", new { variantId, quantity }, ShopHttp.Json, cancellationToken);
        return await ShopHttp.ReadAsync<Cart>(response, $"Item {variantId}", cancellationToken);
    }

    public async Task<Order> GetOrderAsync(string reference, CancellationToken cancellationToken)
    {
        // A plain number is the order's id; anything else is its order number.
        var path = long.TryParse(reference, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? $"/api/orders/{id}"
            : $"/api/orders/by-number/{Uri.EscapeDataString(reference)}";
        using var response = await http.GetAsync(path, cancellationToken);
        return await ShopHttp.ReadAsync<Order>(response, $"Order {reference}", cancellationToken);
    }

    public async Task<OrderPage> ListOrdersAsync(int pageSize, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"/api/orders?page=1&pageSize={pageSize}", cancellationToken);
        return await ShopHttp.ReadAsync<OrderPage>(response, "Your orders", cancellationToken);
    }

    public async Task<Order> CancelOrderAsync(long orderId, string reference, string? reason, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync($"/api/orders/{orderId}/cancel", new { reason }, ShopHttp.Json, cancellationToken);
        return await ShopHttp.ReadAsync<Order>(response, $"Order {reference}", cancellationToken);
    }

    public async Task<Order> PlaceOrderAsync(ShopAddress address, string idempotencyKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders")
        {
            Content = JsonContent.Create(new { shippingAddress = address, paymentMethod = "cash" }, options: ShopHttp.Json),
        };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await http.SendAsync(request, cancellationToken);
        return await ShopHttp.ReadAsync<Order>(response, "The order", cancellationToken);
    }

    public async Task<Profile> GetProfileAsync(CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync("/api/identity/profile", cancellationToken);
        return await ShopHttp.ReadAsync<Profile>(response, "Your profile", cancellationToken);
    }

    public async Task<BoughtTogether> BoughtTogetherAsync(int productId, int limit, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"/api/sales/bought-together?productId={productId}&limit={limit}", cancellationToken);
        return await ShopHttp.ReadAsync<BoughtTogether>(response, $"Recommendations for product {productId}", cancellationToken);
    }
}

/// <summary>ForecastWorker as the signed-in user (its admin endpoints check the role themselves).</summary>
public sealed class ForecastClient(HttpClient http)
{
    public async Task<RestockEstimate> GetRestockEstimateAsync(int variantId, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"/api/forecasts/variants/{variantId}/restock-estimate", cancellationToken);
        return await ShopHttp.ReadAsync<RestockEstimate>(response, $"A restock estimate for item {variantId}", cancellationToken);
    }

    public async Task<Forecast> GetProductForecastAsync(int productId, int horizonDays, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"/api/forecasts/products/{productId}?horizon={horizonDays}&history=0", cancellationToken);
        return await ShopHttp.ReadAsync<Forecast>(response, $"A forecast for product {productId}", cancellationToken);
    }

    public async Task<ReorderSuggestions> GetReorderSuggestionsAsync(int limit, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"/api/forecasts/reorder-suggestions?limit={limit}", cancellationToken);
        return await ShopHttp.ReadAsync<ReorderSuggestions>(response, "Reorder suggestions", cancellationToken);
    }
}
