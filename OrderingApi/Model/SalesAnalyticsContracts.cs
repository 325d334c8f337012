namespace OrderingApi.Model;

/// <summary>How sales are grouped over time: by the day, the week (starting on Monday) or the calendar month.</summary>
public enum SalesInterval
{
    Day,
    Week,
    Month,
}

/// <summary>What was sold in a period: orders that are not cancelled, their revenue (order totals) and units.</summary>
/// <param name="Customers">Customers with at least one such order in the period.</param>
public sealed record SalesTotals(decimal Revenue, int Orders, int Units, decimal AverageOrderValue, int Customers);

/// <summary>One step of the time series; <paramref name="Start"/> is the first day of the step inside the period.</summary>
public sealed record SalesBucket(DateOnly Start, decimal Revenue, int Orders, int Units);

/// <summary>Sales of a category or brand in the period and in the period before it.</summary>
public sealed record SalesGroup(string Name, decimal Revenue, int Units, decimal PreviousRevenue);

public sealed record ProductSales(int ProductId, string Name, string Category, string Brand, decimal Revenue, int Units, int Orders,
    decimal PreviousRevenue);

/// <summary>
/// Customers who ordered in the period: new ones placed their first order (that was not cancelled) in it, returning
/// ones had ordered before it.
/// </summary>
public sealed record CustomerSplit(int New, int Returning, decimal NewRevenue, decimal ReturningRevenue);

/// <summary>
/// <c>GET /api/sales/analytics</c>: a period of days counted in <paramref name="TimeZone"/>, compared with the period
/// of the same length just before it.
/// </summary>
/// <param name="Products">Every product sold in the period or the one before, by revenue in the period (most first).</param>
public sealed record SalesAnalyticsResponse(
    DateOnly From,
    DateOnly To,
    DateOnly PreviousFrom,
    DateOnly PreviousTo,
    string TimeZone,
    string Interval,
    string Currency,
    SalesTotals Totals,
    SalesTotals Previous,
    IReadOnlyList<SalesBucket> Buckets,
    IReadOnlyList<SalesBucket> PreviousBuckets,
    IReadOnlyList<SalesGroup> Categories,
    IReadOnlyList<SalesGroup> Brands,
    IReadOnlyList<ProductSales> Products,
    CustomerSplit Customers,
    CustomerSplit PreviousCustomers);
