using Microsoft.Extensions.Caching.Memory;
using Npgsql;
using NpgsqlTypes;
using OrderingApi.Model;

namespace OrderingApi.Services;

/// <summary>A period of whole days in a time zone, and the period of the same length just before it.</summary>
public sealed record SalesPeriod(DateOnly From, DateOnly To, string TimeZone, SalesInterval Interval)
{
    public int Days => To.DayNumber - From.DayNumber + 1;

    public DateOnly PreviousFrom => From.AddDays(-Days);

    public DateOnly PreviousTo => From.AddDays(-1);

    /// <summary>The first day of each step of <paramref name="from"/>..<paramref name="to"/> (the first one clipped to <paramref name="from"/>).</summary>
    public IEnumerable<DateOnly> Steps(DateOnly from, DateOnly to)
    {
        for (var start = StepOf(from); start <= to; start = Interval switch
             {
                 SalesInterval.Day => start.AddDays(1),
                 SalesInterval.Week => start.AddDays(7),
                 _ => start.AddMonths(1),
             })
        {
            yield return start < from ? from : start;
        }
    }

    /// <summary>The first day of the step holding <paramref name="day"/>: itself, its week's Monday, or its month's first day.</summary>
    public DateOnly StepOf(DateOnly day) => Interval switch
    {
        SalesInterval.Day => day,
        SalesInterval.Week => day.AddDays(-(((int)day.DayOfWeek + 6) % 7)),
        _ => new DateOnly(day.Year, day.Month, 1),
    };
}

/// <summary>
/// Sales analytics for admins, summed in PostgreSQL from the orders themselves (cancelled ones left out), with days
/// counted in the caller's time zone: totals, a time series, customers new and returning, and sales per product for a
/// period and the one before it, in three statements run at once. Categories and brands come from the catalog
/// (<see cref="ProductDirectory"/>): orders keep each line's product, not where the catalog files it.
/// </summary>
public sealed class SalesAnalytics([FromKeyedServices("orderingdb")] NpgsqlDataSource dataSource, ProductDirectory directory)
{
    // Orders of both periods: the boundaries are midnights in the time zone, so the created_at index is used.
    private const string BothPeriods = """
        o.created_at >= (@previousFrom::timestamp AT TIME ZONE @timeZone)
        AND o.created_at < ((@to + 1)::timestamp AT TIME ZONE @timeZone)
        AND o.status <> 'Cancelled'
        """;

    private const string InCurrent = "o.created_at >= (@from::timestamp AT TIME ZONE @timeZone)";

    public async Task<SalesAnalyticsResponse> GetAsync(SalesPeriod period, CancellationToken cancellationToken)
    {
        var steps = new Dictionary<(bool Current, DateOnly Start), SalesBucket>();
        var customers = new Dictionary<(bool Current, bool New), (int Count, decimal Revenue)>();
        var products = new Dictionary<int, ProductTally>();
        // The three statements run at once, each on a connection of its own: over two years each takes a few hundred
        // milliseconds of one core, and in one batch they ran one after another.
        await Task.WhenAll(
            // Orders joined to their lines and summed per order first, then per step. (A LATERAL sum per order made the
            // planner cost two years of orders as 80,000 index lookups, which tipped PostgreSQL into JIT-compiling the
            // statement: over a second of compiling for a quarter of a second of work.)
            QueryAsync(period, $"""
                SELECT current, step, count(*)::integer, sum(total), sum(units)::integer
                FROM (SELECT {InCurrent} AS current, date_trunc(@step, o.created_at AT TIME ZONE @timeZone)::date AS step,
                             o.total, sum(l.quantity) AS units
                      FROM orders o
                      JOIN order_lines l ON l.order_id = o.id
                      WHERE {BothPeriods}
                      GROUP BY o.id) per_order
                GROUP BY 1, 2
                """, reader =>
                {
                    var current = reader.GetBoolean(0);
                    var start = reader.GetFieldValue<DateOnly>(1);
                    var from = current ? period.From : period.PreviousFrom;
                    steps[(current, start < from ? from : start)] = new SalesBucket(start < from ? from : start, reader.GetDecimal(3), reader.GetInt32(2), reader.GetInt32(4));
                }, cancellationToken),
            // New customers placed their first order that was not cancelled inside the period.
            QueryAsync(period, $"""
                WITH buyers AS (
                    SELECT {InCurrent} AS current, o.customer_id, sum(o.total) AS revenue
                    FROM orders o
                    WHERE {BothPeriods}
                    GROUP BY 1, 2)
                SELECT b.current,
                       first.at >= (CASE WHEN b.current THEN @from ELSE @previousFrom END::timestamp AT TIME ZONE @timeZone),
                       count(*)::integer, sum(b.revenue)
                FROM buyers b
                CROSS JOIN LATERAL (
                    SELECT min(p.created_at) AS at FROM orders p WHERE p.customer_id = b.customer_id AND p.status <> 'Cancelled') first
                GROUP BY 1, 2
                """, reader => customers[(reader.GetBoolean(0), reader.GetBoolean(1))] = (reader.GetInt32(2), reader.GetDecimal(3)),
                cancellationToken),
            // Summed per order and product first, so counting the orders of a product needs no DISTINCT (which sorted every
            // line of two years on disk).
            QueryAsync(period, $"""
                SELECT current, product_id, max(name), sum(revenue), sum(units)::integer, count(*)::integer
                FROM (SELECT {InCurrent} AS current, l.product_id, max(l.product_name) AS name,
                             sum(l.quantity * l.unit_price) AS revenue, sum(l.quantity) AS units
                      FROM orders o
                      JOIN order_lines l ON l.order_id = o.id
                      WHERE {BothPeriods}
                      GROUP BY o.id, l.product_id) per_order_product
                GROUP BY 1, 2
                """, reader =>
                {
                    var id = reader.GetInt32(1);
                    var tally = products.TryGetValue(id, out var known) ? known : products[id] = new ProductTally { Name = reader.GetString(2) };
                    if (reader.GetBoolean(0))
                    {
                        (tally.Name, tally.Revenue, tally.Units, tally.Orders) = (reader.GetString(2), reader.GetDecimal(3), reader.GetInt32(4), reader.GetInt32(5));
                    }
                    else
                    {
                        tally.PreviousRevenue = reader.GetDecimal(3);
                    }
                }, cancellationToken));

        var buckets = Series(period, steps, current: true, period.From, period.To);
        var previousBuckets = Series(period, steps, current: false, period.PreviousFrom, period.PreviousTo);
        var split = Split(customers, current: true);
        var previousSplit = Split(customers, current: false);

        var filed = await directory.DescribeAsync(products.Keys, cancellationToken);
        var productSales = products
            .Select(p => new ProductSales(p.Key, p.Value.Name, filed[p.Key].Category, filed[p.Key].Brand,
                p.Value.Revenue, p.Value.Units, p.Value.Orders, p.Value.PreviousRevenue))
            .OrderByDescending(p => p.Revenue).ThenByDescending(p => p.Units).ThenBy(p => p.ProductId)
            .ToList();

        return new SalesAnalyticsResponse(period.From, period.To, period.PreviousFrom, period.PreviousTo, period.TimeZone,
            period.Interval.ToString().ToLowerInvariant(), "EUR",
            Totals(buckets, split), Totals(previousBuckets, previousSplit), buckets, previousBuckets,
            Groups(productSales, p => p.Category), Groups(productSales, p => p.Brand), productSales, split, previousSplit);
    }

    private sealed class ProductTally
    {
        public required string Name { get; set; }
        public decimal Revenue { get; set; }
        public int Units { get; set; }
        public int Orders { get; set; }
        public decimal PreviousRevenue { get; set; }
    }

    /// <summary>Runs one statement with the period's parameters on a connection of its own, each row to <paramref name="read"/>.</summary>
    private async Task QueryAsync(SalesPeriod period, string sql, Action<NpgsqlDataReader> read, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter("from", NpgsqlDbType.Date) { Value = period.From });
        command.Parameters.Add(new NpgsqlParameter("to", NpgsqlDbType.Date) { Value = period.To });
        command.Parameters.Add(new NpgsqlParameter("previousFrom", NpgsqlDbType.Date) { Value = period.PreviousFrom });
        command.Parameters.Add(new NpgsqlParameter("timeZone", NpgsqlDbType.Text) { Value = period.TimeZone });
        command.Parameters.Add(new NpgsqlParameter("step", NpgsqlDbType.Text) { Value = period.Interval.ToString().ToLowerInvariant() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            read(reader);
        }
    }

    /// <summary>Every step of the period in order, the steps without an order at zero.</summary>
    private static List<SalesBucket> Series(SalesPeriod period, Dictionary<(bool, DateOnly), SalesBucket> steps, bool current, DateOnly from, DateOnly to) =>
        [.. period.Steps(from, to).Select(start => steps.GetValueOrDefault((current, start), new SalesBucket(start, 0m, 0, 0)))];

    private static CustomerSplit Split(Dictionary<(bool Current, bool New), (int Count, decimal Revenue)> customers, bool current)
    {
        var fresh = customers.GetValueOrDefault((current, true));
        var returning = customers.GetValueOrDefault((current, false));
        return new CustomerSplit(fresh.Count, returning.Count, fresh.Revenue, returning.Revenue);
    }

    private static SalesTotals Totals(List<SalesBucket> buckets, CustomerSplit customers)
    {
        var revenue = buckets.Sum(b => b.Revenue);
        var orders = buckets.Sum(b => b.Orders);
        return new SalesTotals(revenue, orders, buckets.Sum(b => b.Units), orders > 0 ? Math.Round(revenue / orders, 2) : 0m,
            customers.New + customers.Returning);
    }

    private static List<SalesGroup> Groups(List<ProductSales> products, Func<ProductSales, string> key) =>
    [
        .. products.GroupBy(key)
            .Select(g => new SalesGroup(g.Key, g.Sum(p => p.Revenue), g.Sum(p => p.Units), g.Sum(p => p.PreviousRevenue)))
            .OrderByDescending(g => g.Revenue).ThenBy(g => g.Name, StringComparer.Ordinal),
    ];
}

/// <summary>
/// Where the catalog files a product (its top category and its brand), asked of catalog-api a product at a time (its
/// cached read) and remembered for ten minutes. A product the catalog no longer knows is filed under "Unknown".
/// </summary>
public sealed class ProductDirectory(CatalogClient catalog, IMemoryCache cache)
{
    public const string Unknown = "Unknown";
    private static readonly TimeSpan Keep = TimeSpan.FromMinutes(10);

    public async Task<IReadOnlyDictionary<int, (string Category, string Brand)>> DescribeAsync(IEnumerable<int> productIds, CancellationToken cancellationToken)
    {
        var filed = new Dictionary<int, (string Category, string Brand)>();
        var missing = new List<int>();
        foreach (var id in productIds)
        {
            if (cache.TryGetValue(Key(id), out (string, string) known))
            {
                filed[id] = known;
            }
            else
            {
                missing.Add(id);
            }
        }
        var found = new (string Category, string Brand)[missing.Count];
        await Parallel.ForAsync(0, missing.Count, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var product = await catalog.GetProductAsync(missing[i], ct);
            found[i] = product is null
                ? (Unknown, Unknown)
                : (product.CategoryPath.Count > 0 ? product.CategoryPath[0].Name : Unknown, string.IsNullOrEmpty(product.Brand) ? Unknown : product.Brand);
        });
        for (var i = 0; i < missing.Count; i++)
        {
            filed[missing[i]] = cache.Set(Key(missing[i]), found[i], Keep);
        }
        return filed;
    }

    private static string Key(int productId) => $"product-filing:{productId}";
}
