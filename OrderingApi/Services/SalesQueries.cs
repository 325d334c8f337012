using Npgsql;
using NpgsqlTypes;
using OrderingApi.Model;

namespace OrderingApi.Services;

/// <summary>
/// Sales read models: units per variant per day (from <c>sales_daily</c>, kept with every order change, so a two-year
/// read of the whole catalog is one indexed GROUP BY returning a row per variant), best sellers, bought together.
/// </summary>
public sealed class SalesQueries([FromKeyedServices("orderingdb")] NpgsqlDataSource dataSource)
{
    public async Task<DailySalesResponse> DailyAsync(DateOnly from, DateOnly to, int? variantId, CancellationToken cancellationToken)
    {
        var days = to.DayNumber - from.DayNumber + 1;
        // Per variant: the day offsets that sold and their units; the zero days are filled in here.
        await using var command = dataSource.CreateCommand("""
            SELECT variant_id, array_agg(day - @from ORDER BY day), array_agg(units ORDER BY day)
            FROM sales_daily
            WHERE day BETWEEN @from AND @to AND units > 0 AND (@variant IS NULL OR variant_id = @variant)
            GROUP BY variant_id
            ORDER BY variant_id
            """);
        command.Parameters.Add(new NpgsqlParameter("from", NpgsqlDbType.Date) { Value = from });
        command.Parameters.Add(new NpgsqlParameter("to", NpgsqlDbType.Date) { Value = to });
        command.Parameters.Add(new NpgsqlParameter("variant", NpgsqlDbType.Integer) { Value = (object?)variantId ?? DBNull.Value });
        var variants = new List<VariantDailySales>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var offsets = reader.GetFieldValue<int[]>(1);
                var units = reader.GetFieldValue<int[]>(2);
                var dense = new int[days];
                for (var i = 0; i < offsets.Length; i++)
                {
                    dense[offsets[i]] = units[i];
                }
                variants.Add(new VariantDailySales(reader.GetInt32(0), dense));
            }
        }
        if (variantId is { } asked && variants.Count == 0)
        {
            variants.Add(new VariantDailySales(asked, new int[days]));
        }
        return new DailySalesResponse(from, to, variants);
    }

    public async Task<BestSellersResponse> BestSellersAsync(int days, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT l.product_id, sum(l.quantity)::integer AS units
            FROM orders o JOIN order_lines l ON l.order_id = o.id
            WHERE o.created_at >= now() - @days * interval '1 day' AND o.status <> 'Cancelled'
            GROUP BY l.product_id
            ORDER BY units DESC, l.product_id
            LIMIT @limit
            """);
        command.Parameters.Add(new NpgsqlParameter("days", days));
        command.Parameters.Add(new NpgsqlParameter("limit", limit));
        return new BestSellersResponse(await ReadPairsAsync(command, (product, units) => new BestSeller(product, units), cancellationToken));
    }

    public async Task<BoughtTogetherResponse> BoughtTogetherAsync(int productId, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT other.product_id, count(DISTINCT other.order_id)::integer AS orders
            FROM order_lines mine
            JOIN orders o ON o.id = mine.order_id AND o.status <> 'Cancelled'
            JOIN order_lines other ON other.order_id = mine.order_id AND other.product_id <> mine.product_id
            WHERE mine.product_id = @product
            GROUP BY other.product_id
            ORDER BY orders DESC, other.product_id
            LIMIT @limit
            """);
        command.Parameters.Add(new NpgsqlParameter("product", productId));
        command.Parameters.Add(new NpgsqlParameter("limit", limit));
        return new BoughtTogetherResponse(productId, await ReadPairsAsync(command, (product, orders) => new BoughtTogetherItem(product, orders), cancellationToken));
    }

    /// <summary>Rows of two integers (a product and a count), in the order the query gives them.</summary>
    private static async Task<List<T>> ReadPairsAsync<T>(NpgsqlCommand command, Func<int, int, T> make, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(make(reader.GetInt32(0), reader.GetInt32(1)));
        }
        return items;
    }
}
