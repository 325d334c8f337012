using System.Diagnostics;
using System.Text.Json;
using CatalogApi.Services.Specs;
using ECommerce.ServiceDefaults.Data;
using Npgsql;
using NpgsqlTypes;

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

    public static async Task<bool> SeedAsync(NpgsqlConnection connection, SqlMigrator migrator, int size, ILogger logger, CancellationToken cancellationToken)
    {
        var applied = await migrator.ReadAppliedAsync(connection, cancellationToken);
        if (applied.ContainsKey(SeedId))
        {
            return false;
        }

        using var activity = CatalogTelemetry.Source.StartActivity("catalogdb seed");
        var started = Stopwatch.GetTimestamp();
        var catalog = SeedCatalogGenerator.Generate(size);
        var generated = Stopwatch.GetElapsedTime(started);
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
        Add(batch, "ALTER TABLE product_options DROP CONSTRAINT product_options_product_id_fkey");
        Add(batch, "ALTER TABLE variants DROP CONSTRAINT variants_product_id_fkey");
        Add(batch, "ALTER TABLE stock_movements DROP CONSTRAINT stock_movements_variant_id_fkey");
        await batch.ExecuteNonQueryAsync(cancellationToken);

        // Products, options, variants and the stock history by binary COPY: 100,000 products load in seconds.
        var now = DateTime.UtcNow;
        var hour = new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0, DateTimeKind.Utc);
        var created = catalog.Products.ToDictionary(p => p.Id, p => hour - TimeSpan.FromDays(p.AgeDays) - TimeSpan.FromHours(p.Id % 24));
        await CopyAsync(connection, "COPY products (id, slug, name, description, brand_id, category_id, tags, images, created_at, updated_at, specs) FROM STDIN (FORMAT BINARY)",
            catalog.Products, async (row, p, ct) =>
            {
                await row.WriteAsync(p.Id, NpgsqlDbType.Integer, ct);
                await row.WriteAsync(p.Slug, NpgsqlDbType.Text, ct);
                await row.WriteAsync(p.Name, NpgsqlDbType.Text, ct);
                await row.WriteAsync(p.Description, NpgsqlDbType.Text, ct);
                await row.WriteAsync(p.BrandId, NpgsqlDbType.Integer, ct);
                await row.WriteAsync(p.CategoryId, NpgsqlDbType.Integer, ct);
                await row.WriteAsync(p.Tags, NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
                await row.WriteAsync(p.Images, NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
                await row.WriteAsync(created[p.Id], NpgsqlDbType.TimestampTz, ct);
                await row.WriteAsync(created[p.Id], NpgsqlDbType.TimestampTz, ct);
                await row.WriteAsync(SpecSheets.ToJson(p.Specs), NpgsqlDbType.Jsonb, ct);
            }, cancellationToken);
        await CopyAsync(connection, "COPY product_options (product_id, name, position, \"values\") FROM STDIN (FORMAT BINARY)",
            catalog.Products.SelectMany(p => p.Options.Select(o => (p.Id, Option: o))), async (row, o, ct) =>
            {
                await row.WriteAsync(o.Id, NpgsqlDbType.Integer, ct);
                await row.WriteAsync(o.Option.Name, NpgsqlDbType.Text, ct);
                await row.WriteAsync(o.Option.Position, NpgsqlDbType.Integer, ct);
                await row.WriteAsync(o.Option.Values, NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
            }, cancellationToken);
        await CopyAsync(connection, "COPY variants (id, product_id, sku, options, price, on_hand, reorder_point, lead_time_days, units_sold, created_at, updated_at) FROM STDIN (FORMAT BINARY)",
            catalog.Variants, async (row, v, ct) =>
            {
                await row.WriteAsync(v.Id, NpgsqlDbType.Integer, ct);
                await row.WriteAsync(v.ProductId, NpgsqlDbType.Integer, ct);
                await row.WriteAsync(v.Sku, NpgsqlDbType.Text, ct);
                await row.WriteAsync(JsonSerializer.Serialize(v.Options.ToDictionary(o => o.Key, o => o.Value)), NpgsqlDbType.Jsonb, ct);
                await row.WriteAsync(v.Price, NpgsqlDbType.Numeric, ct);
                await row.WriteAsync(v.OnHand, NpgsqlDbType.Integer, ct);
                await row.WriteAsync(v.ReorderPoint, NpgsqlDbType.Integer, ct);
                await row.WriteAsync(v.LeadTimeDays, NpgsqlDbType.Integer, ct);
                await row.WriteAsync(v.UnitsSold, NpgsqlDbType.Integer, ct);
                await row.WriteAsync(created[v.ProductId], NpgsqlDbType.TimestampTz, ct);
                await row.WriteAsync(created[v.ProductId], NpgsqlDbType.TimestampTz, ct);
            }, cancellationToken);
        // The history in time order (its ids follow the order of events).
        await CopyAsync(connection, "COPY stock_movements (variant_id, kind, quantity, on_hand_after, reason, actor, created_at) FROM STDIN (FORMAT BINARY)",
            catalog.Movements.OrderByDescending(m => m.DaysAgo), async (row, m, ct) =>
            {
                await row.WriteAsync(m.VariantId, NpgsqlDbType.Integer, ct);
                await row.WriteAsync(m.Kind, NpgsqlDbType.Text, ct);
                await row.WriteAsync(m.Quantity, NpgsqlDbType.Integer, ct);
                await row.WriteAsync(m.OnHandAfter, NpgsqlDbType.Integer, ct);
                await row.WriteAsync(m.Reason, NpgsqlDbType.Text, ct);
                await row.WriteAsync("seed", NpgsqlDbType.Text, ct);
                await row.WriteAsync(hour - TimeSpan.FromDays(m.DaysAgo), NpgsqlDbType.TimestampTz, ct);
            }, cancellationToken);
        var loaded = Stopwatch.GetElapsedTime(started);

        batch = new NpgsqlBatch(connection, transaction);
        // Explicit ids were inserted: move the identity sequences past them.
        Add(batch, """
            SELECT setval(pg_get_serial_sequence('categories', 'id'), (SELECT max(id) FROM categories)),
                   setval(pg_get_serial_sequence('brands', 'id'), (SELECT max(id) FROM brands)),
                   setval(pg_get_serial_sequence('products', 'id'), (SELECT max(id) FROM products)),
                   setval(pg_get_serial_sequence('variants', 'id'), (SELECT max(id) FROM variants))
            """);
        // The foreign keys back, each checked in one pass (far quicker than a check per copied row).
        Add(batch, "ALTER TABLE product_options ADD CONSTRAINT product_options_product_id_fkey FOREIGN KEY (product_id) REFERENCES products (id) ON DELETE CASCADE");
        Add(batch, "ALTER TABLE variants ADD CONSTRAINT variants_product_id_fkey FOREIGN KEY (product_id) REFERENCES products (id) ON DELETE CASCADE");
        Add(batch, "ALTER TABLE stock_movements ADD CONSTRAINT stock_movements_variant_id_fkey FOREIGN KEY (variant_id) REFERENCES variants (id)");
        Add(batch, "ANALYZE categories, brands, products, product_options, variants, stock_movements");
        await batch.ExecuteNonQueryAsync(cancellationToken);

        await migrator.RecordAsync(connection, transaction, SeedId, SqlMigrator.Checksum($"{SeedCatalogGenerator.RandomSeed}:{catalog.Products.Count}"), cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        var variants = catalog.Variants.Count();
        activity?.SetTag("catalog.seed.products", catalog.Products.Count);
        activity?.SetTag("catalog.seed.variants", variants);
        LogSeeded(logger, catalog.Products.Count, variants, catalog.Categories.Count, catalog.Brands.Count,
            Stopwatch.GetElapsedTime(started).TotalMilliseconds, generated.TotalMilliseconds, (loaded - generated).TotalMilliseconds);
        return true;
    }

    private static async Task CopyAsync<T>(NpgsqlConnection connection, string copy, IEnumerable<T> rows,
        Func<NpgsqlBinaryImporter, T, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        await using var importer = await connection.BeginBinaryImportAsync(copy, cancellationToken);
        importer.Timeout = TimeSpan.FromMinutes(10); // 100,000 products on a busy machine
        foreach (var item in rows)
        {
            await importer.StartRowAsync(cancellationToken);
            await write(importer, item, cancellationToken);
        }
        await importer.CompleteAsync(cancellationToken);
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

    [LoggerMessage(LogLevel.Information, "Seeded the catalog: {Products} products, {Variants} variants, {Categories} categories, {Brands} brands in {ElapsedMs:0} ms (generated in {GeneratedMs:0} ms, copied in {CopiedMs:0} ms)")]
    private static partial void LogSeeded(ILogger logger, int products, int variants, int categories, int brands, double elapsedMs, double generatedMs, double copiedMs);

    [LoggerMessage(LogLevel.Information, "catalogdb already has products: the sample catalog is not seeded")]
    private static partial void LogSkipped(ILogger logger);
}
