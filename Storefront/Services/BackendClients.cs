using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Storefront.Auth;
using Storefront.Model;

namespace Storefront.Services;

/// <summary>
/// Base of the typed HttpClients of the backend services. Each is registered with the base address
/// <c>http://{service name}</c> (see <c>AddApplicationServices</c>) and resolved from the caller's scope, so it sends
/// the current user's bearer token (from <see cref="UserSession"/>) and the anonymous cart id.
/// Calls never throw for a service that is down or refuses: they return an <see cref="ApiResult{T}"/> with a message.
/// </summary>
public abstract class BackendClient(HttpClient http, UserSession session, ILogger logger)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    protected HttpClient Http { get; } = http;

    protected UserSession Session { get; } = session;

    /// <summary>The service name the client is addressed by, e.g. <c>catalog-api</c>: the host of its base address.</summary>
    public string ServiceName => Http.BaseAddress?.Host
        ?? throw new InvalidOperationException($"{GetType().Name} is registered without a base address.");

    /// <summary>How the shop names this service to shoppers in messages.</summary>
    protected abstract string FriendlyName { get; }

    /// <summary>Asks the service whether its process is up (<c>GET /alive</c>, every service maps it).</summary>
    public Task<HttpResponseMessage> GetAliveAsync(CancellationToken cancellationToken) =>
        Http.GetAsync("/alive", HttpCompletionOption.ResponseHeadersRead, cancellationToken);

    protected Task<ApiResult<T>> GetAsync<T>(string path, CancellationToken cancellationToken = default) =>
        SendAsync<T>(HttpMethod.Get, path, null, cancellationToken);

    protected Task<ApiResult<T>> PostAsync<T>(string path, object? body, CancellationToken cancellationToken = default) =>
        SendAsync<T>(HttpMethod.Post, path, body, cancellationToken);

    protected Task<ApiResult<T>> PutAsync<T>(string path, object? body, CancellationToken cancellationToken = default) =>
        SendAsync<T>(HttpMethod.Put, path, body, cancellationToken);

    protected Task<ApiResult<T>> DeleteAsync<T>(string path, CancellationToken cancellationToken = default) =>
        SendAsync<T>(HttpMethod.Delete, path, null, cancellationToken);

    /// <summary>
    /// Sends a request as the current user (bearer token, else the anonymous cart id) and reads the JSON answer.
    /// A 401 with a token gets one retry after the token is refreshed.
    /// </summary>
    protected async Task<ApiResult<T>> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken,
        Action<HttpRequestMessage>? configure = null)
    {
        try
        {
            using var response = await SendRawAsync(method, path, body, cancellationToken, configure);
            return await ReadAsync<T>(response, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or TimeoutException or JsonException
                                      || e.GetType().Name is "TimeoutRejectedException" or "BrokenCircuitException")
        {
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            logger.LogWarning(e, "{Method} {Service}{Path} failed", method, ServiceName, path);
            return new ApiResult<T>(default, null, $"The {FriendlyName} is not answering right now. Please try again in a moment.");
        }
    }

    /// <summary>The raw response (for streaming); the caller disposes it. Sends the token and cart id as <see cref="SendAsync{T}"/>.</summary>
    protected async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken,
        Action<HttpRequestMessage>? configure = null, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        var token = await Session.GetAccessTokenAsync(cancellationToken);
        var response = await Http.SendAsync(Build(token), completion, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized && token is not null
            && await Session.RefreshAccessTokenAsync(token, cancellationToken) is { } refreshed)
        {
            response.Dispose();
            response = await Http.SendAsync(Build(refreshed), completion, cancellationToken);
        }
        return response;

        HttpRequestMessage Build(string? accessToken)
        {
            var request = new HttpRequestMessage(method, path);
            if (body is not null)
            {
                request.Content = JsonContent.Create(body, body.GetType(), options: Json);
            }
            if (accessToken is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
            }
            else if (Session.CartId is { } cartId)
            {
                request.Headers.Add(UserSession.CartIdHeader, cartId.ToString());
            }
            configure?.Invoke(request);
            return request;
        }
    }

    private async Task<ApiResult<T>> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            if (response.StatusCode == HttpStatusCode.NoContent || response.Content.Headers.ContentLength == 0)
            {
                return ApiResult<T>.Success(default!, response.StatusCode);
            }
            var value = await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken);
            return ApiResult<T>.Success(value!, response.StatusCode);
        }

        JsonElement? problem = null;
        if (response.Content.Headers.ContentType?.MediaType is { } type && type.Contains("json", StringComparison.Ordinal))
        {
            try
            {
                problem = await response.Content.ReadFromJsonAsync<JsonElement>(Json, cancellationToken);
            }
            catch (JsonException)
            {
            }
        }
        var errors = ReadErrors(problem);
        var message = response.StatusCode switch
        {
            HttpStatusCode.NotFound when problem is null => "We could not find that.",
            HttpStatusCode.Unauthorized => "Please sign in again: your session has ended.",
            HttpStatusCode.Forbidden => "You are not allowed to do that.",
            HttpStatusCode.TooManyRequests => "Too many attempts. Please wait a minute and try again.",
            HttpStatusCode.ServiceUnavailable => $"The {FriendlyName} is not available right now. Please try again in a moment.",
            >= HttpStatusCode.InternalServerError => $"The {FriendlyName} had a problem. Please try again in a moment.",
            _ => ProblemText(problem) ?? (errors is { Count: > 0 } ? string.Join(" ", errors.SelectMany(e => e.Value)) : "That did not work."),
        };
        if ((int)response.StatusCode >= 500)
        {
            logger.LogWarning("{Service} answered {Status} for {Path}", ServiceName, (int)response.StatusCode, response.RequestMessage?.RequestUri?.PathAndQuery);
        }
        return new ApiResult<T>(default, response.StatusCode, message, errors, problem);
    }

    private static string? ProblemText(JsonElement? problem)
    {
        if (problem is not { ValueKind: JsonValueKind.Object } p)
        {
            return null;
        }
        if (p.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
        {
            return null; // the field messages say it better
        }
        return (p.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String ? detail.GetString() : null)
            ?? (p.TryGetProperty("title", out var title) && title.ValueKind == JsonValueKind.String ? title.GetString() : null);
    }

    private static Dictionary<string, string[]>? ReadErrors(JsonElement? problem)
    {
        if (problem is not { ValueKind: JsonValueKind.Object } p || !p.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        var result = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        foreach (var field in errors.EnumerateObject())
        {
            result[field.Name] = field.Value.ValueKind == JsonValueKind.Array
                ? [.. field.Value.EnumerateArray().Select(m => m.GetString() ?? "")]
                : [field.Value.ToString()];
        }
        return result;
    }

    /// <summary>A query string from the non-empty values (repeated names for lists).</summary>
    protected static string Query(params (string Name, object? Value)[] parameters)
    {
        var parts = new List<string>();
        foreach (var (name, value) in parameters)
        {
            switch (value)
            {
                case null:
                case string { Length: 0 }:
                    break;
                case IEnumerable<string> list when value is not string:
                    parts.AddRange(list.Where(v => v.Length > 0).Select(v => $"{name}={Uri.EscapeDataString(v)}"));
                    break;
                case IFormattable formattable:
                    parts.Add($"{name}={Uri.EscapeDataString(formattable.ToString(null, System.Globalization.CultureInfo.InvariantCulture))}");
                    break;
                default:
                    parts.Add($"{name}={Uri.EscapeDataString(value.ToString()!)}");
                    break;
            }
        }
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }
}

/// <summary>CatalogApi: products, categories, brands, stock.</summary>
public sealed class CatalogClient(HttpClient http, UserSession session, ILogger<CatalogClient> logger) : BackendClient(http, session, logger)
{
    protected override string FriendlyName => "catalog";

    public Task<ApiResult<ProductPage>> SearchAsync(ProductQuery query, CancellationToken cancellationToken = default) =>
        GetAsync<ProductPage>("/api/catalog/products" + query.ToApiQuery(), cancellationToken);

    public Task<ApiResult<ProductDetail>> GetProductAsync(string slugOrId, CancellationToken cancellationToken = default) =>
        GetAsync<ProductDetail>($"/api/catalog/products/{Uri.EscapeDataString(slugOrId)}", cancellationToken);

    /// <summary>The spec definitions a product of the category has (its own and its ancestors'), in sheet order.</summary>
    public Task<ApiResult<IReadOnlyList<SpecDefinition>>> GetSpecDefinitionsAsync(string category, CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<SpecDefinition>>($"/api/catalog/specs?category={Uri.EscapeDataString(category)}", cancellationToken);

    public Task<ApiResult<IReadOnlyList<CategoryNode>>> GetCategoriesAsync(CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<CategoryNode>>("/api/catalog/categories", cancellationToken);

    public Task<ApiResult<IReadOnlyList<Brand>>> GetBrandsAsync(CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<Brand>>("/api/catalog/brands", cancellationToken);

    /// <summary>Many variants in one call (at most 100 ids): never one call per variant.</summary>
    public async Task<ApiResult<IReadOnlyList<VariantInfo>>> GetVariantsAsync(IEnumerable<int> ids, CancellationToken cancellationToken = default)
    {
        var distinct = ids.Distinct().ToList();
        if (distinct.Count == 0)
        {
            return ApiResult<IReadOnlyList<VariantInfo>>.Success([]);
        }
        var batches = await Task.WhenAll(distinct.Chunk(100).Select(chunk =>
            GetAsync<IReadOnlyList<VariantInfo>>("/api/catalog/variants?ids=" + string.Join(',', chunk), cancellationToken)));
        return batches.FirstOrDefault(b => !b.Ok) ?? ApiResult<IReadOnlyList<VariantInfo>>.Success([.. batches.SelectMany(b => b.Value!)]);
    }

    /// <summary>Up to 100 products by id with their stock now (uncached): the favourites of a shopper not signed in.</summary>
    public Task<ApiResult<IReadOnlyList<ProductAvailability>>> GetAvailabilityAsync(IEnumerable<int> productIds, CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<ProductAvailability>>("/api/catalog/availability?productIds=" + string.Join(',', productIds.Distinct().Take(100)), cancellationToken);

    /// <summary>A product picture (SVG) from CatalogApi, for the storefront's own image URLs.</summary>
    public async Task<(byte[] Content, string ContentType)?> GetImageAsync(int productId, string image, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await Http.GetAsync($"/api/catalog/products/{productId}/images/{Uri.EscapeDataString(image)}", cancellationToken);
            return response.IsSuccessStatusCode
                ? (await response.Content.ReadAsByteArrayAsync(cancellationToken), response.Content.Headers.ContentType?.ToString() ?? "image/svg+xml")
                : null;
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException || e.GetType().Name is "TimeoutRejectedException" or "BrokenCircuitException")
        {
            return null;
        }
    }

    // Admin.

    public Task<ApiResult<ProductDetail>> CreateProductAsync(CreateProductRequest request, CancellationToken cancellationToken = default) =>
        PostAsync<ProductDetail>("/api/catalog/products", request, cancellationToken);

    public Task<ApiResult<ProductDetail>> UpdateProductAsync(int id, UpdateProductRequest request, CancellationToken cancellationToken = default) =>
        PutAsync<ProductDetail>($"/api/catalog/products/{id}", request, cancellationToken);

    /// <summary>Replaces a product's spec sheet: key to a number or a choice's text (null clears).</summary>
    public Task<ApiResult<ProductDetail>> UpdateSpecsAsync(int id, IReadOnlyDictionary<string, object?> specs, CancellationToken cancellationToken = default) =>
        PutAsync<ProductDetail>($"/api/catalog/products/{id}/specs", new { specs }, cancellationToken);

    public Task<ApiResult<object>> ArchiveProductAsync(int id, CancellationToken cancellationToken = default) =>
        DeleteAsync<object>($"/api/catalog/products/{id}", cancellationToken);

    public Task<ApiResult<object>> RestoreProductAsync(int id, CancellationToken cancellationToken = default) =>
        PostAsync<object>($"/api/catalog/products/{id}/restore", null, cancellationToken);

    public Task<ApiResult<AdminVariant>> AddVariantAsync(int productId, VariantInput request, CancellationToken cancellationToken = default) =>
        PostAsync<AdminVariant>($"/api/catalog/products/{productId}/variants", request, cancellationToken);

    public Task<ApiResult<AdminVariant>> UpdateVariantAsync(int id, UpdateVariantRequest request, CancellationToken cancellationToken = default) =>
        PutAsync<AdminVariant>($"/api/catalog/variants/{id}", request, cancellationToken);

    public Task<ApiResult<StockLevel>> GetStockAsync(int variantId, CancellationToken cancellationToken = default) =>
        GetAsync<StockLevel>($"/api/stock/variants/{variantId}", cancellationToken);

    public Task<ApiResult<StockLevel>> AdjustStockAsync(int variantId, AdjustStockRequest request, CancellationToken cancellationToken = default) =>
        PostAsync<StockLevel>($"/api/stock/variants/{variantId}/adjustments", request, cancellationToken);

    public Task<ApiResult<StockLevel>> SetStockAsync(int variantId, SetStockRequest request, CancellationToken cancellationToken = default) =>
        PutAsync<StockLevel>($"/api/stock/variants/{variantId}", request, cancellationToken);

    /// <summary>Stock levels of up to 100 variants in one call.</summary>
    public Task<ApiResult<StockLevelPage>> GetStockLevelsAsync(IEnumerable<int> variantIds, CancellationToken cancellationToken = default) =>
        GetAsync<StockLevelPage>("/api/stock/levels?pageSize=100&ids=" + string.Join(',', variantIds.Distinct().Take(100)), cancellationToken);

    public Task<ApiResult<LowStockPage>> GetLowStockAsync(int page, int pageSize, CancellationToken cancellationToken = default) =>
        GetAsync<LowStockPage>("/api/stock/low" + Query(("page", page), ("pageSize", pageSize)), cancellationToken);
}

/// <summary>OrderingApi: identity, cart, checkout and orders.</summary>
public sealed class OrderingClient(HttpClient http, UserSession session, ILogger<OrderingClient> logger) : BackendClient(http, session, logger)
{
    protected override string FriendlyName => "ordering service";

    public Task<ApiResult<Profile>> GetProfileAsync(CancellationToken cancellationToken = default) =>
        GetAsync<Profile>("/api/identity/profile", cancellationToken);

    public Task<ApiResult<Profile>> UpdateProfileAsync(UpdateProfileRequest request, CancellationToken cancellationToken = default) =>
        PutAsync<Profile>("/api/identity/profile", request, cancellationToken);

    /// <summary>Changes the password; OrderingApi ends every session and answers with new tokens for this one.</summary>
    public async Task<ApiResult<TokenResponse>> ChangePasswordAsync(ChangePasswordRequest request, CancellationToken cancellationToken = default)
    {
        var result = await PostAsync<TokenResponse>("/api/identity/change-password", request, cancellationToken);
        if (result is { Ok: true, Value: { } tokens })
        {
            await Session.ReplaceTokensAsync(tokens, cancellationToken);
        }
        return result;
    }

    public Task<ApiResult<UserPage>> GetUsersAsync(string? search, int page, int pageSize, CancellationToken cancellationToken = default) =>
        GetAsync<UserPage>("/api/identity/users" + Query(("search", search), ("page", page), ("pageSize", pageSize)), cancellationToken);

    public Task<ApiResult<UserSummary>> SetRolesAsync(string userId, IReadOnlyList<string> roles, CancellationToken cancellationToken = default) =>
        PutAsync<UserSummary>($"/api/identity/users/{Uri.EscapeDataString(userId)}/roles", new { roles }, cancellationToken);

    public Task<ApiResult<SalesAnalytics>> GetSalesAnalyticsAsync(SalesAnalyticsQuery query, CancellationToken cancellationToken = default) =>
        GetAsync<SalesAnalytics>("/api/sales/analytics" + Query(("from", query.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            ("to", query.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), ("timeZone", query.TimeZone), ("interval", query.Interval)), cancellationToken);

    // Cart.

    public Task<ApiResult<Cart>> GetCartAsync(CancellationToken cancellationToken = default) =>
        GetAsync<Cart>("/api/cart", cancellationToken);

    public Task<ApiResult<Cart>> AddToCartAsync(int variantId, int quantity, CancellationToken cancellationToken = default) =>
        PostAsync<Cart>("/api/cart/items", new { variantId, quantity }, cancellationToken);

    public Task<ApiResult<Cart>> SetQuantityAsync(int variantId, int quantity, CancellationToken cancellationToken = default) =>
        PutAsync<Cart>($"/api/cart/items/{variantId}", new { quantity }, cancellationToken);

    public Task<ApiResult<Cart>> RemoveFromCartAsync(int variantId, CancellationToken cancellationToken = default) =>
        DeleteAsync<Cart>($"/api/cart/items/{variantId}", cancellationToken);

    // Favourites (signed in).

    public Task<ApiResult<FavouriteList>> GetFavouritesAsync(CancellationToken cancellationToken = default) =>
        GetAsync<FavouriteList>("/api/favourites", cancellationToken);

    public Task<ApiResult<FavouriteIds>> GetFavouriteIdsAsync(CancellationToken cancellationToken = default) =>
        GetAsync<FavouriteIds>("/api/favourites/ids", cancellationToken);

    public Task<ApiResult<FavouriteItem>> AddFavouriteAsync(int productId, CancellationToken cancellationToken = default) =>
        PutAsync<FavouriteItem>($"/api/favourites/{productId}", null, cancellationToken);

    public Task<ApiResult<object>> RemoveFavouriteAsync(int productId, CancellationToken cancellationToken = default) =>
        DeleteAsync<object>($"/api/favourites/{productId}", cancellationToken);

    // Orders.

    public Task<ApiResult<Order>> PlaceOrderAsync(PlaceOrderRequest request, string idempotencyKey, CancellationToken cancellationToken = default) =>
        SendAsync<Order>(HttpMethod.Post, "/api/orders", request, cancellationToken, r => r.Headers.Add("Idempotency-Key", idempotencyKey));

    public Task<ApiResult<OrderPage>> GetOrdersAsync(int page, int pageSize, CancellationToken cancellationToken = default) =>
        GetAsync<OrderPage>("/api/orders" + Query(("page", page), ("pageSize", pageSize)), cancellationToken);

    public Task<ApiResult<Order>> GetOrderAsync(long id, CancellationToken cancellationToken = default) =>
        GetAsync<Order>($"/api/orders/{id}", cancellationToken);

    public Task<ApiResult<Order>> CancelOrderAsync(long id, string? reason, CancellationToken cancellationToken = default) =>
        PostAsync<Order>($"/api/orders/{id}/cancel", new { reason }, cancellationToken);

    public Task<ApiResult<OrderPage>> GetAllOrdersAsync(string? status, string? email, DateOnly? from, DateOnly? to, int page, int pageSize,
        CancellationToken cancellationToken = default) =>
        GetAsync<OrderPage>("/api/admin/orders" + Query(("status", status), ("email", email),
            ("from", from?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
            ("to", to?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
            ("page", page), ("pageSize", pageSize)), cancellationToken);

    public Task<ApiResult<Order>> ShipOrderAsync(long id, CancellationToken cancellationToken = default) =>
        PostAsync<Order>($"/api/orders/{id}/ship", null, cancellationToken);

    public Task<ApiResult<Order>> DeliverOrderAsync(long id, CancellationToken cancellationToken = default) =>
        PostAsync<Order>($"/api/orders/{id}/deliver", null, cancellationToken);

    public Task<ApiResult<BoughtTogether>> GetBoughtTogetherAsync(int productId, int limit, CancellationToken cancellationToken = default) =>
        GetAsync<BoughtTogether>("/api/sales/bought-together" + Query(("productId", productId), ("limit", limit)), cancellationToken);

    // Reviews.

    public Task<ApiResult<ReviewPage>> GetReviewsAsync(int productId, string sort, int page, int pageSize, CancellationToken cancellationToken = default) =>
        GetAsync<ReviewPage>($"/api/reviews/products/{productId}" + Query(("sort", sort), ("page", page), ("pageSize", pageSize)), cancellationToken);

    public Task<ApiResult<MyReview>> GetMyReviewAsync(int productId, CancellationToken cancellationToken = default) =>
        GetAsync<MyReview>($"/api/reviews/products/{productId}/mine", cancellationToken);

    public Task<ApiResult<Review>> WriteReviewAsync(int productId, ReviewInput review, CancellationToken cancellationToken = default) =>
        PutAsync<Review>($"/api/reviews/products/{productId}/mine", review, cancellationToken);

    public Task<ApiResult<HelpfulVote>> MarkHelpfulAsync(long reviewId, CancellationToken cancellationToken = default) =>
        PostAsync<HelpfulVote>($"/api/reviews/{reviewId}/helpful", null, cancellationToken);

    public Task<ApiResult<AdminReviewPage>> GetAllReviewsAsync(int? productId, bool? hidden, int page, int pageSize, CancellationToken cancellationToken = default) =>
        GetAsync<AdminReviewPage>("/api/admin/reviews" + Query(("productId", productId), ("hidden", hidden?.ToString().ToLowerInvariant()), ("page", page), ("pageSize", pageSize)),
            cancellationToken);

    public Task<ApiResult<AdminReview>> HideReviewAsync(long reviewId, string reason, CancellationToken cancellationToken = default) =>
        PostAsync<AdminReview>($"/api/admin/reviews/{reviewId}/hide", new { reason }, cancellationToken);

    public Task<ApiResult<AdminReview>> UnhideReviewAsync(long reviewId, CancellationToken cancellationToken = default) =>
        PostAsync<AdminReview>($"/api/admin/reviews/{reviewId}/unhide", null, cancellationToken);

    public Task<ApiResult<BestSellers>> GetBestSellersAsync(int days, int limit, CancellationToken cancellationToken = default) =>
        GetAsync<BestSellers>("/api/sales/best-sellers" + Query(("days", days), ("limit", limit)), cancellationToken);
}

/// <summary>ForecastWorker: demand forecasts and reorder suggestions.</summary>
public sealed class ForecastClient(HttpClient http, UserSession session, ILogger<ForecastClient> logger) : BackendClient(http, session, logger)
{
    protected override string FriendlyName => "forecasting service";

    public Task<ApiResult<Forecast>> GetVariantForecastAsync(int variantId, int horizon, int history, CancellationToken cancellationToken = default) =>
        GetAsync<Forecast>($"/api/forecasts/variants/{variantId}" + Query(("horizon", horizon), ("history", history)), cancellationToken);

    public Task<ApiResult<Forecast>> GetProductForecastAsync(int productId, int horizon, int history, CancellationToken cancellationToken = default) =>
        GetAsync<Forecast>($"/api/forecasts/products/{productId}" + Query(("horizon", horizon), ("history", history)), cancellationToken);

    public Task<ApiResult<ForecastRun>> GetLatestRunAsync(CancellationToken cancellationToken = default) =>
        GetAsync<ForecastRun>("/api/forecasts/runs/latest", cancellationToken);

    public Task<ApiResult<ForecastRun>> StartRunAsync(CancellationToken cancellationToken = default) =>
        PostAsync<ForecastRun>("/api/forecasts/runs", null, cancellationToken);

    public Task<ApiResult<ReorderSuggestions>> GetReorderSuggestionsAsync(int limit, CancellationToken cancellationToken = default) =>
        GetAsync<ReorderSuggestions>("/api/forecasts/reorder-suggestions" + Query(("limit", limit)), cancellationToken);

    public Task<ApiResult<RestockEstimate>> GetRestockEstimateAsync(int variantId, CancellationToken cancellationToken = default) =>
        GetAsync<RestockEstimate>($"/api/forecasts/variants/{variantId}/restock-estimate", cancellationToken);
}

/// <summary>AssistantApi: the chat assistant.</summary>
public sealed class AssistantClient(HttpClient http, UserSession session, ILogger<AssistantClient> logger) : BackendClient(http, session, logger)
{
    protected override string FriendlyName => "assistant";

    /// <summary>
    /// Asks the assistant and streams its answer (server-sent events): <paramref name="onEvent"/> gets each event as it
    /// arrives. Returns the full answer of the <c>done</c> event, or a failed result.
    /// </summary>
    public async Task<ApiResult<ChatResponse>> ChatAsync(ChatRequest request, Func<ChatEvent, Task> onEvent, CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await SendRawAsync(HttpMethod.Post, "/api/assistant/chat", request, cancellationToken,
                r => r.Headers.Accept.ParseAdd("text/event-stream"), HttpCompletionOption.ResponseHeadersRead);
            if (!response.IsSuccessStatusCode)
            {
                return new ApiResult<ChatResponse>(default, response.StatusCode, response.StatusCode == HttpStatusCode.NotFound
                    ? "The assistant is not open yet. Please try again later."
                    : "The assistant could not answer that. Please try again.");
            }
            if (response.Content.Headers.ContentType?.MediaType != "text/event-stream")
            {
                // Not streamed: the whole answer as JSON.
                var whole = await response.Content.ReadFromJsonAsync<ChatResponse>(Json, cancellationToken);
                if (whole is not null)
                {
                    await onEvent(new ChatEvent(null, null, null, whole));
                    return ApiResult<ChatResponse>.Success(whole);
                }
            }

            ChatResponse? done = null;
            await foreach (var item in SseReader.ReadAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken))
            {
                var chatEvent = ChatEvent.Parse(item.Event, item.Data);
                if (chatEvent is null)
                {
                    continue;
                }
                if (chatEvent.Done is not null)
                {
                    done = chatEvent.Done;
                }
                await onEvent(chatEvent);
            }
            return done is null
                ? new ApiResult<ChatResponse>(default, response.StatusCode, "The assistant stopped before it finished. Please try again.")
                : ApiResult<ChatResponse>.Success(done);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TimeoutException or JsonException
                                      || e.GetType().Name is "TimeoutRejectedException" or "BrokenCircuitException")
        {
            return new ApiResult<ChatResponse>(default, null, "The assistant is not answering right now. Please try again in a moment.");
        }
    }
}

/// <summary>One event of a streamed chat answer.</summary>
public sealed record ChatEvent(string? Delta, ToolCall? Tool, IReadOnlyList<ProductCard>? Products, ChatResponse? Done)
{
    public static ChatEvent? Parse(string name, string data)
    {
        var json = BackendClient.Json;
        return name switch
        {
            "delta" => new ChatEvent(JsonDocument.Parse(data).RootElement.TryGetProperty("text", out var text) ? text.GetString() : null, null, null, null),
            "tool" => new ChatEvent(null, JsonSerializer.Deserialize<ToolCall>(data, json), null, null),
            "products" => new ChatEvent(null, null, JsonSerializer.Deserialize<List<ProductCard>>(data, json), null),
            "done" => new ChatEvent(null, null, null, JsonSerializer.Deserialize<ChatResponse>(data, json)),
            _ => null,
        };
    }
}

/// <summary>Reads server-sent events (<c>event:</c> and <c>data:</c> lines, a blank line ends an event).</summary>
public static class SseReader
{
    public static async IAsyncEnumerable<(string Event, string Data)> ReadAsync(Stream stream,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream);
        var name = "message";
        var data = new System.Text.StringBuilder();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    yield return (name, data.ToString());
                }
                name = "message";
                data.Clear();
            }
            else if (line.StartsWith("event:", StringComparison.Ordinal))
            {
                name = line[6..].Trim();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                if (data.Length > 0)
                {
                    data.Append('\n');
                }
                data.Append(line.AsSpan(5).TrimStart(' '));
            }
        }
        if (data.Length > 0)
        {
            yield return (name, data.ToString());
        }
    }
}

internal static class ApiResultExtensions
{
    public static bool TryGet<T>(this ApiResult<T> result, [NotNullWhen(true)] out T? value)
    {
        value = result.Value;
        return result.Ok && value is not null;
    }
}
