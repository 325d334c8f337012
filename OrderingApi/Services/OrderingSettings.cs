using System.ComponentModel.DataAnnotations;

namespace OrderingApi.Services;

/// <summary>Carts (section <c>Ordering:Cart</c>).</summary>
public sealed class CartSettings
{
    public const string SectionName = "Ordering:Cart";

    /// <summary>How long a cart line's stock stays reserved without the cart being used; every use extends it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan ReservationIdleTime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long an unused cart is kept in Redis (its lines; their reservations end long before).</summary>
    [Range(typeof(TimeSpan), "00:00:10", "90.00:00:00")]
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long a request waits for another request on the same cart to finish before answering 409.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan LockWait { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>The generated order history of the demo shop (section <c>Ordering:DemoHistory</c>).</summary>
public sealed class DemoHistorySettings
{
    public const string SectionName = "Ordering:DemoHistory";

    public bool Enabled { get; set; }

    /// <summary>Same seed, same catalog: the same history, order for order.</summary>
    public int Seed { get; set; } = 20261121;

    [Range(10, 100_000)]
    public int Customers { get; set; } = 3000;

    /// <summary>Orders on an ordinary day at the start of the history (the shop grows from there).</summary>
    [Range(1, 10_000)]
    public double OrdersPerDay { get; set; } = 80;

    /// <summary>The first day of the history; by default two years (730 days) before yesterday.</summary>
    public DateOnly? StartDate { get; set; }

    /// <summary>How long to keep asking catalog-api for the catalog before giving up (logged; tried at next start).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan CatalogWait { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>The search for sales without an order (section <c>Ordering:Reconciler</c>); see <see cref="SaleReconciler"/>.</summary>
public sealed class SaleReconcilerSettings
{
    public const string SectionName = "Ordering:Reconciler";

    public bool Enabled { get; set; } = true;

    /// <summary>How often to look.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How old a sale must be before a missing order counts: far longer than a checkout takes from the catalog's
    /// commit to the order's (each database step gives up after 30 s).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Grace { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How far back the first look after a start goes (a crash is followed by a start).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan Lookback { get; set; } = TimeSpan.FromDays(1);
}

/// <summary>"Back in stock" from the catalog's stock changes (section <c>Ordering:FavouriteStock</c>); see <see cref="FavouriteStockWatcher"/>.</summary>
public sealed class FavouriteStockSettings
{
    public const string SectionName = "Ordering:FavouriteStock";

    public bool Enabled { get; set; } = true;

    /// <summary>How long changes are gathered before their products' stock is asked of the catalog in one call.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan Debounce { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long to wait before trying again when Redis, the catalog or the database failed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(5);
}
