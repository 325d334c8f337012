namespace OrderingApi.Model;

// Request and response shapes of /api/cart, /api/orders, /api/admin/orders and /api/sales (JSON, camelCase).
// The storefront, the assistant, the forecast worker and the tests read these names (see the contracts).

public sealed record AddCartItemRequest(int? VariantId, int? Quantity);

public sealed record SetCartItemRequest(int? Quantity);

public sealed record MergeCartRequest(string? CartId);

/// <param name="ReservationExpiresAt">When the stock held for this line is given back unless the cart is used again; in the past once it was.</param>
/// <param name="Reserved">False when the line's reservation has expired: set its quantity again to hold the stock anew.</param>
public sealed record CartLineResponse(
    int VariantId,
    int ProductId,
    string ProductName,
    string ProductSlug,
    string Sku,
    IReadOnlyDictionary<string, string> Options,
    string ImageUrl,
    decimal UnitPrice,
    int Quantity,
    decimal LineTotal,
    DateTimeOffset ReservationExpiresAt,
    bool Reserved);

public sealed record CartResponse(Guid Id, IReadOnlyList<CartLineResponse> Lines, int ItemCount, decimal Total, string Currency);

public sealed record CheckoutRequest(AddressInput? ShippingAddress, AddressInput? BillingAddress, string? PaymentMethod, string? CardNumber);

public sealed record CancelOrderRequest(string? Reason);

public sealed record OrderLineResponse(
    int VariantId,
    int ProductId,
    string Sku,
    string ProductName,
    IReadOnlyDictionary<string, string> Options,
    int Quantity,
    decimal UnitPrice,
    decimal LineTotal);

public sealed record OrderStatusChangeResponse(string Status, DateTimeOffset At, string By, string? Reason);

public sealed record OrderResponse(
    long Id,
    string Number,
    string Status,
    DateTimeOffset CreatedAt,
    string CustomerId,
    string CustomerEmail,
    string PaymentMethod,
    IReadOnlyList<OrderLineResponse> Lines,
    decimal Total,
    string Currency,
    Address ShippingAddress,
    Address BillingAddress,
    IReadOnlyList<OrderStatusChangeResponse> StatusHistory);

public sealed record OrderPage(IReadOnlyList<OrderResponse> Items, int Total, int Page, int PageSize);

/// <summary>A cart line that stops a checkout (its reservation expired, or the catalog no longer sells it).</summary>
public sealed record CheckoutLineProblem(int VariantId, string Sku, string Problem);

public sealed record VariantDailySales(int VariantId, int[] Units);

public sealed record DailySalesResponse(DateOnly From, DateOnly To, IReadOnlyList<VariantDailySales> Variants);

public sealed record BestSeller(int ProductId, int Units);

public sealed record BestSellersResponse(IReadOnlyList<BestSeller> Items);

public sealed record BoughtTogetherItem(int ProductId, int Orders);

public sealed record BoughtTogetherResponse(int ProductId, IReadOnlyList<BoughtTogetherItem> Items);
