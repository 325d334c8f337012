namespace Storefront.Model;

// OrderingApi's GET /api/sales/analytics (Admin): a period of days in a time zone against the period before it.

public sealed record SalesTotals(decimal Revenue, int Orders, int Units, decimal AverageOrderValue, int Customers);

public sealed record SalesBucket(DateOnly Start, decimal Revenue, int Orders, int Units);

public sealed record SalesGroup(string Name, decimal Revenue, int Units, decimal PreviousRevenue);

public sealed record ProductSales(int ProductId, string Name, string Category, string Brand, decimal Revenue, int Units, int Orders,
    decimal PreviousRevenue);

public sealed record CustomerSplit(int New, int Returning, decimal NewRevenue, decimal ReturningRevenue);

public sealed record SalesAnalytics(
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

/// <summary>What the analytics page asks for: days <see cref="From"/>..<see cref="To"/> in <see cref="TimeZone"/>, by <see cref="Interval"/>.</summary>
public sealed record SalesAnalyticsQuery(DateOnly From, DateOnly To, string TimeZone, string Interval);
