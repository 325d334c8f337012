using Npgsql;
using NpgsqlTypes;
using OrderingApi.Model;

namespace OrderingApi.Services;

public enum FavouriteResult
{
    Added,
    AlreadyThere,
    UnknownProduct,
    Full,
}

public sealed record FavouriteOutcome(FavouriteResult Result, FavouriteItem? Item = null);

/// <summary>
/// A customer's favourite products, in orderingdb's <c>favourites</c> (plain Npgsql). What a product is called, costs
/// and has in stock is asked of catalog-api in one call per request (<c>/api/catalog/availability</c>, up to
/// <see cref="Limit"/> products, uncached), never per product. Each look at the list records what the customer saw of
/// its stock (<see cref="FavouriteStock"/>), which is what "back in stock" is made of.
/// </summary>
public sealed class FavouritesService(
    [FromKeyedServices("orderingdb")] NpgsqlDataSource dataSource, CatalogClient catalog, TimeProvider timeProvider)
{
    /// <summary>How many favourites a customer may keep (also what one catalog call answers for).</summary>
    public const int Limit = 100;

    public async Task<FavouriteIds> ListIdsAsync(string customerId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT product_id FROM favourites WHERE customer_id = @customer ORDER BY added_at DESC, product_id");
        command.Parameters.AddWithValue("customer", customerId);
        var ids = new List<int>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetInt32(0));
        }
        return new FavouriteIds(ids, Limit);
    }

    /// <summary>The favourites with what the catalog says of them now; records what was seen of their stock.</summary>
    public async Task<FavouriteList> ListAsync(string customerId, CancellationToken cancellationToken)
    {
        var rows = new List<(int ProductId, DateTimeOffset AddedAt, FavouriteStock Stock)>();
        await using (var command = dataSource.CreateCommand("""
            SELECT product_id, added_at, sold_out_seen_at, back_in_stock_at
            FROM favourites WHERE customer_id = @customer ORDER BY added_at DESC, product_id
            """))
        {
            command.Parameters.AddWithValue("customer", customerId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((reader.GetInt32(0), reader.GetFieldValue<DateTimeOffset>(1),
                    new FavouriteStock(NullableTime(reader, 2), NullableTime(reader, 3))));
            }
        }
        if (rows.Count == 0)
        {
            return new FavouriteList([], 0, Limit);
        }

        var products = (await catalog.GetAvailabilityAsync([.. rows.Select(r => r.ProductId)], cancellationToken)).ToDictionary(p => p.Id);
        var now = timeProvider.GetUtcNow();
        var items = new List<FavouriteItem>(rows.Count);
        var changed = new List<(int ProductId, FavouriteStock Stock)>();
        foreach (var (productId, addedAt, stock) in rows)
        {
            if (!products.TryGetValue(productId, out var product))
            {
                continue; // the catalog no longer has it at all (products are archived, not deleted: not expected)
            }
            var seen = stock.Seen(product.InStock, now);
            if (seen != stock)
            {
                changed.Add((productId, seen));
            }
            items.Add(ToItem(product, addedAt, seen.BackInStock && product.InStock));
        }
        if (changed.Count > 0)
        {
            await SaveStockAsync(customerId, changed, cancellationToken);
        }
        return new FavouriteList(items, items.Count, Limit);
    }

    /// <summary>Adds a product (a repeat changes nothing); refuses products the shop does not sell and a full list.</summary>
    public async Task<FavouriteOutcome> AddAsync(string customerId, int productId, CancellationToken cancellationToken)
    {
        if (await SoldProductAsync(productId, cancellationToken) is not { } product)
        {
            return new FavouriteOutcome(FavouriteResult.UnknownProduct);
        }
        var now = timeProvider.GetUtcNow();
        var stock = FavouriteStock.WhenAdded(product.InStock, now);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockAsync(connection, transaction, customerId, cancellationToken);
        await using (var command = new NpgsqlCommand("""
            SELECT added_at FROM favourites WHERE customer_id = @customer AND product_id = @product;
            SELECT count(*)::integer FROM favourites WHERE customer_id = @customer;
            """, connection, transaction))
        {
            command.Parameters.AddWithValue("customer", customerId);
            command.Parameters.AddWithValue("product", productId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                return new FavouriteOutcome(FavouriteResult.AlreadyThere, ToItem(product, reader.GetFieldValue<DateTimeOffset>(0), false));
            }
            await reader.NextResultAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            if (reader.GetInt32(0) >= Limit)
            {
                return new FavouriteOutcome(FavouriteResult.Full);
            }
        }
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO favourites (customer_id, product_id, added_at, sold_out_seen_at) VALUES (@customer, @product, @now, @soldOut)
            """, connection, transaction))
        {
            insert.Parameters.AddWithValue("customer", customerId);
            insert.Parameters.AddWithValue("product", productId);
            insert.Parameters.AddWithValue("now", now);
            insert.Parameters.Add(new NpgsqlParameter("soldOut", NpgsqlDbType.TimestampTz) { Value = (object?)stock.SoldOutSeenAt ?? DBNull.Value });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return new FavouriteOutcome(FavouriteResult.Added, ToItem(product, now, false));
    }

    /// <summary>Removes a product from the favourites; removing one that is not there is fine.</summary>
    public async Task RemoveAsync(string customerId, int productId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM favourites WHERE customer_id = @customer AND product_id = @product");
        command.Parameters.AddWithValue("customer", customerId);
        command.Parameters.AddWithValue("product", productId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Adds the favourites kept in the browser before signing in (newest first, as the storefront keeps them): those the
    /// shop sells, up to the limit, as the newest favourites in that order; those already there stay as they are.
    /// </summary>
    public async Task<MergeFavouritesResponse> MergeAsync(string customerId, IReadOnlyList<int> productIds, CancellationToken cancellationToken)
    {
        var wanted = productIds.Distinct().ToList();
        var sold = (await catalog.GetAvailabilityAsync(wanted, cancellationToken)).Where(p => !p.Archived).ToDictionary(p => p.Id);
        var candidates = wanted.Where(sold.ContainsKey).ToList();
        var now = timeProvider.GetUtcNow();
        int added;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await LockAsync(connection, transaction, customerId, cancellationToken);
            // Newest first: the first of the list gets now, each next one a microsecond earlier, so the order is kept.
            await using var command = new NpgsqlCommand("""
                INSERT INTO favourites (customer_id, product_id, added_at, sold_out_seen_at)
                SELECT @customer, g.product_id, @now - g.position * interval '1 microsecond', CASE WHEN g.sold_out THEN @now END
                FROM unnest(@products, @soldOut) WITH ORDINALITY AS g(product_id, sold_out, position)
                WHERE NOT EXISTS (SELECT 1 FROM favourites f WHERE f.customer_id = @customer AND f.product_id = g.product_id)
                ORDER BY g.position
                LIMIT GREATEST(@limit - (SELECT count(*) FROM favourites WHERE customer_id = @customer), 0)
                ON CONFLICT DO NOTHING
                """, connection, transaction);
            command.Parameters.AddWithValue("customer", customerId);
            command.Parameters.AddWithValue("limit", Limit);
            command.Parameters.AddWithValue("products", candidates.ToArray());
            command.Parameters.AddWithValue("soldOut", candidates.Select(id => !sold[id].InStock).ToArray());
            command.Parameters.AddWithValue("now", now);
            added = await command.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        var ids = await ListIdsAsync(customerId, cancellationToken);
        var present = ids.ProductIds.ToHashSet();
        return new MergeFavouritesResponse(added, [.. wanted.Where(id => !present.Contains(id))], ids.ProductIds);
    }

    /// <summary>One change to a customer's favourites at a time, so the limit holds when two adds race.</summary>
    private static async Task LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string customerId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended('favourites:' || @customer, 0))", connection, transaction);
        command.Parameters.AddWithValue("customer", customerId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<CatalogProductAvailability?> SoldProductAsync(int productId, CancellationToken cancellationToken) =>
        (await catalog.GetAvailabilityAsync([productId], cancellationToken)) is [{ Archived: false } product] ? product : null;

    private async Task SaveStockAsync(string customerId, List<(int ProductId, FavouriteStock Stock)> changed, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE favourites f SET sold_out_seen_at = c.sold_out_seen_at, back_in_stock_at = c.back_in_stock_at
            FROM unnest(@products, @soldOut, @back) AS c(product_id, sold_out_seen_at, back_in_stock_at)
            WHERE f.customer_id = @customer AND f.product_id = c.product_id
            """);
        command.Parameters.AddWithValue("customer", customerId);
        command.Parameters.AddWithValue("products", changed.Select(c => c.ProductId).ToArray());
        command.Parameters.Add(new NpgsqlParameter("soldOut", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
        {
            Value = changed.Select(c => c.Stock.SoldOutSeenAt is { } t ? (DateTime?)t.UtcDateTime : null).ToArray(),
        });
        command.Parameters.Add(new NpgsqlParameter("back", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
        {
            Value = changed.Select(c => c.Stock.BackInStockAt is { } t ? (DateTime?)t.UtcDateTime : null).ToArray(),
        });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static FavouriteItem ToItem(CatalogProductAvailability product, DateTimeOffset addedAt, bool backInStock) => new(
        product.Id, product.Slug, product.Name, product.Brand, product.ImageUrl, product.PriceFrom, product.PriceTo,
        product.InStock, backInStock, !product.Archived, addedAt,
        [.. product.Variants.Select(v => new FavouriteVariant(v.Id, v.Sku, v.Options, v.Price, v.Available))]);

    private static DateTimeOffset? NullableTime(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);
}
