namespace OrderingApi.Model;

/// <summary>A postal address (a profile's default shipping or billing address, later an order's).</summary>
public sealed record Address(
    string FullName,
    string Line1,
    string? Line2,
    string City,
    string PostalCode,
    string Country);
