namespace Storefront.Model;

// The shapes the storefront reads from OrderingApi (identity in OrderingApi/Model/IdentityContracts.cs; cart and
// orders as agreed in the contracts), JSON camelCase.

/// <summary>The framework's bearer token answer of /api/identity/login and /refresh.</summary>
public sealed record TokenResponse(string AccessToken, string RefreshToken, int ExpiresIn);

public sealed record Address(string FullName, string Line1, string? Line2, string City, string PostalCode, string Country);

public sealed record Profile(
    string Id, string Email, string? Name, string? PhoneNumber, Address? DefaultShippingAddress, Address? DefaultBillingAddress,
    IReadOnlyList<string> Roles, DateTimeOffset CreatedAt);

public sealed record UpdateProfileRequest(string? Name, string? PhoneNumber, Address? DefaultShippingAddress, Address? DefaultBillingAddress);

public sealed record ChangePasswordRequest(string CurrentPassword, string NewPassword);

public sealed record UserSummary(string Id, string Email, string? Name, IReadOnlyList<string> Roles, DateTimeOffset CreatedAt, DateTimeOffset? LockedOutUntil);

public sealed record UserPage(IReadOnlyList<UserSummary> Items, int Total, int Page, int PageSize);

public sealed record CartLine(
    int VariantId, int ProductId, string ProductName, string ProductSlug, string Sku, IReadOnlyDictionary<string, string>? Options,
    string? ImageUrl, decimal UnitPrice, int Quantity, decimal LineTotal, DateTimeOffset? ReservationExpiresAt, bool Reserved = true);

public sealed record Cart(string Id, IReadOnlyList<CartLine> Lines, int ItemCount, decimal Total, string Currency)
{
    public static Cart Empty { get; } = new("", [], 0, 0, "EUR");
}

public sealed record OrderLine(
    int VariantId, int ProductId, string Sku, string ProductName, IReadOnlyDictionary<string, string>? Options,
    int Quantity, decimal UnitPrice, decimal LineTotal);

public sealed record StatusChange(string Status, DateTimeOffset At, string? By, string? Reason);

public sealed record Order(
    long Id, string Number, string Status, DateTimeOffset CreatedAt, string? CustomerId, string? CustomerEmail, string PaymentMethod,
    IReadOnlyList<OrderLine> Lines, decimal Total, string Currency, Address? ShippingAddress, Address? BillingAddress,
    IReadOnlyList<StatusChange> StatusHistory)
{
    public bool CanBeCancelledByCustomer => Status is OrderStatuses.Submitted or OrderStatuses.Paid;
}

public static class OrderStatuses
{
    public const string Submitted = "Submitted";
    public const string Paid = "Paid";
    public const string Shipped = "Shipped";
    public const string Delivered = "Delivered";
    public const string Cancelled = "Cancelled";

    public static IReadOnlyList<string> All { get; } = [Submitted, Paid, Shipped, Delivered, Cancelled];
}

public sealed record OrderPage(IReadOnlyList<Order> Items, int Total, int Page, int PageSize);

public sealed record PlaceOrderRequest(Address ShippingAddress, Address? BillingAddress, string PaymentMethod, string? CardNumber);

public sealed record BestSeller(int ProductId, int Units);

public sealed record BestSellers(IReadOnlyList<BestSeller> Items);

public sealed record BoughtTogetherItem(int ProductId, int Orders);

/// <summary>Other products found in the same orders as <see cref="ProductId"/>, most often first.</summary>
public sealed record BoughtTogether(int ProductId, IReadOnlyList<BoughtTogetherItem> Items);
