using System.Diagnostics;
using System.Text.Json;
using ECommerce.ServiceDefaults.Data;
using Npgsql;

namespace CatalogApi.Infrastructure.Seed;

/// <summary>
/// Writes the generated catalog (<see cref="SeedCatalogGenerator"/>) into an empty catalogdb, once: the seed is
/// recorded in <c>schema_migrations</c> in the same transaction as its rows, and the caller holds the migration
/// lock, so a second instance starting at the same time finds it done. A database that already has products
/// (someone's real catalog) is never seeded.
/// </summary>
internal static partial class CatalogSeeder
{
    public const string SeedId = "seed-catalog-v1";

    public static async Task<bool> SeedAsync(NpgsqlConnection connection, SqlMigrator migrator, ILogger logger, CancellationToken cancellationToken)
    {
        var applied = await migrator.ReadAppliedAsync(connection, cancellationToken);
        if (applied.ContainsKey(SeedId))
        {
            return false;
        }

        using var activity = CatalogTelemetry.Source.StartActivity("catalogdb seed");
        var started = Stopwatch.GetTimestamp();
        var catalog = SeedCatalogGenerator.Generate();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await using (var count = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM products)", connection, transaction))
        {
            if ((bool)(await count.ExecuteScalarAsync(cancellationToken))!)
            {
                LogSkipped(logger);
                await migrator.RecordAsync(connection, transaction, SeedId, "skipped: products existed", cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return false;
            }
        }

        var batch = new NpgsqlBatch(connection, transaction);
        Add(batch, """
            INSERT INTO categories (id, parent_id, slug, name, position)
            SELECT * FROM unnest($1::integer[], $2::integer[], $3::text[], $4::text[], $5::integer[])
            """,
            catalog.Categories.Select(c => c.Id).ToArray(),
            catalog.Categories.Select(c => c.ParentId).ToArray(),
            catalog.Categories.Select(c => c.Slug).ToArray(),
            catalog.Categories.Select(c => c.Name).ToArray(),
            catalog.Categories.Select(c => c.Position).ToArray());
        Add(batch, "INSERT INTO brands (id, slug, name) SELECT * FROM unnest($1::integer[], $2::text[], $3::text[])",
            catalog.Brands.Select(b => b.Id).ToArray(),
            catalog.Brands.Select(b => b.Slug).ToArray(),
            catalog.Brands.Select(b => b.Name).ToArray());
        Add(batch, """
            INSERT INTO products (id, slug, name, description, brand_id, category_id, tags, images, created_at, updated_at)
            SELECT p.id, p.slug, p.name, p.description, p.brand_id, p.category_id,
                   string_to_array(p.tags, '|'), string_to_array(p.images, '|'), p.created_at, p.created_at
            FROM (SELECT t.*, date_trunc('hour', now()) - make_interval(days => t.age, hours => t.id % 24) AS created_at
                  FROM unnest($1::integer[], $2::text[], $3::text[], $4::text[], $5::integer[], $6::integer[], $7::text[], $8::text[], $9::integer[])
                       AS t(id, slug, name, description, brand_id, category_id, tags, images, age)) p
            """,
            catalog.Products.Select(p => p.Id).ToArray(),
            catalog.Products.Select(p => p.Slug).ToArray(),
            catalog.Products.Select(p => p.Name).ToArray(),
            catalog.Products.Select(p => p.Description).ToArray(),
            catalog.Products.Select(p => p.BrandId).ToArray(),
            catalog.Products.Select(p => p.CategoryId).ToArray(),
            catalog.Products.Select(p => string.Join('|', p.Tags)).ToArray(),
            catalog.Products.Select(p => string.Join('|', p.Images)).ToArray(),
            catalog.Products.Select(p => p.AgeDays).ToArray());
        var options = catalog.Products.SelectMany(p => p.Options.Select(o => (p.Id, Option: o))).ToList();
        Add(batch, """
            INSERT INTO product_options (product_id, name, position, "values")
            SELECT t.product_id, t.name, t.position, string_to_array(t.vals, '|')
            FROM unnest($1::integer[], $2::text[], $3::integer[], $4::text[]) AS t(product_id, name, position, vals)
            """,
            options.Select(o => o.Id).ToArray(),
            options.Select(o => o.Option.Name).ToArray(),
            options.Select(o => o.Option.Position).ToArray(),
            options.Select(o => string.Join('|', o.Option.Values)).ToArray());
        var variants = catalog.Variants.ToList();
        Add(batch, """
            INSERT INTO variants (id, product_id, sku, options, price, on_hand, reorder_point, lead_time_days, units_sold, created_at, updated_at)
            SELECT t.id, t.product_id, t.sku, t.options::jsonb, t.price, t.on_hand, t.reorder_point, t.lead_time_days, t.units_sold, p.created_at, p.created_at
            FROM unnest($1::integer[], $2::integer[], $3::text[], $4::text[], $5::numeric[], $6::integer[], $7::integer[], $8::integer[], $9::integer[])
                 AS t(id, product_id, sku, options, price, on_hand, reorder_point, lead_time_days, units_sold)
            JOIN products p ON p.id = t.product_id
            """,
            variants.Select(v => v.Id).ToArray(),
            variants.Select(v => v.ProductId).ToArray(),
            variants.Select(v => v.Sku).ToArray(),
            variants.Select(v => JsonSerializer.Serialize(v.Options.ToDictionary(o => o.Key, o => o.Value))).ToArray(),
            variants.Select(v => v.Price).ToArray(),
            variants.Select(v => v.OnHand).ToArray(),
            variants.Select(v => v.ReorderPoint).ToArray(),
            variants.Select(v => v.LeadTimeDays).ToArray(),
            variants.Select(v => v.UnitsSold).ToArray());
        Add(batch, """
            INSERT INTO stock_movements (variant_id, kind, quantity, on_hand_after, reason, actor, created_at)
            SELECT t.variant_id, t.kind, t.quantity, t.on_hand_after, t.reason, 'seed', date_trunc('hour', now()) - t.days * interval '1 day'
            FROM unnest($1::integer[], $2::text[], $3::integer[], $4::integer[], $5::text[], $6::double precision[])
                 AS t(variant_id, kind, quantity, on_hand_after, reason, days)
            ORDER BY t.days DESC
            """,
            catalog.Movements.Select(m => m.VariantId).ToArray(),
            catalog.Movements.Select(m => m.Kind).ToArray(),
            catalog.Movements.Select(m => m.Quantity).ToArray(),
            catalog.Movements.Select(m => m.OnHandAfter).ToArray(),
            catalog.Movements.Select(m => m.Reason).ToArray(),
            catalog.Movements.Select(m => m.DaysAgo).ToArray());
        // Explicit ids were inserted: move the identity sequences past them.
        Add(batch, """
            SELECT setval(pg_get_serial_sequence('categories', 'id'), (SELECT max(id) FROM categories)),
                   setval(pg_get_serial_sequence('brands', 'id'), (SELECT max(id) FROM brands)),
                   setval(pg_get_serial_sequence('products', 'id'), (SELECT max(id) FROM products)),
                   setval(pg_get_serial_sequence('variants', 'id'), (SELECT max(id) FROM variants))
            """);
        Add(batch, "SELECT catalog_refresh_search(NULL)");
        Add(batch, "REFRESH MATERIALIZED VIEW search_terms");
        Add(batch, "ANALYZE categories, brands, products, product_options, variants, stock_movements");
        await batch.ExecuteNonQueryAsync(cancellationToken);

        await migrator.RecordAsync(connection, transaction, SeedId, SqlMigrator.Checksum($"{SeedCatalogGenerator.RandomSeed}"), cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        activity?.SetTag("catalog.seed.products", catalog.Products.Count);
        activity?.SetTag("catalog.seed.variants", variants.Count);
        LogSeeded(logger, catalog.Products.Count, variants.Count, catalog.Categories.Count, catalog.Brands.Count,
            Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return true;
    }

    private static void Add(NpgsqlBatch batch, string sql, params object[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        batch.BatchCommands.Add(command);
    }

    [LoggerMessage(LogLevel.Information, "Seeded the catalog: {Products} products, {Variants} variants, {Categories} categories, {Brands} brands in {ElapsedMs:0} ms")]
    private static partial void LogSeeded(ILogger logger, int products, int variants, int categories, int brands, double elapsedMs);

    [LoggerMessage(LogLevel.Information, "catalogdb already has products: the sample catalog is not seeded")]
    private static partial void LogSkipped(ILogger logger);
}
