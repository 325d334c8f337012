using CatalogApi.Model;
using Npgsql;
using NpgsqlTypes;

namespace CatalogApi.Services;

public enum StockResult
{
    Done,
    NotFound,
    Refused,
}

public sealed record StockOutcome(StockResult Result, StockLevelResponse? Level = null, string? Message = null);

/// <summary>
/// Stock levels as admins manage them: set on hand to a counted value, or add a receipt, a return or an adjustment,
/// always with a reason and a movement that records who did it. The variant row is locked for the change, and
/// <see cref="StockRules"/> decides what is allowed (on hand never below what is reserved).
/// </summary>
public sealed partial class StockService(NpgsqlDataSource dataSource, StockNotifier notifier, ILogger<StockService> logger)
{
    public const int MovementsShown = 50;

    public Task<StockOutcome> SetOnHandAsync(int variantId, int onHand, string reason, string actor, CancellationToken cancellationToken) =>
        ChangeAsync(variantId, current => onHand - current, StockMovementKind.Adjustment, reason, null, actor, cancellationToken);

    public Task<StockOutcome> AdjustAsync(int variantId, int quantity, StockMovementKind kind, string reason, string? reference, string actor, CancellationToken cancellationToken) =>
        StockRules.CheckAdjustment(kind, quantity) is { } refusal
            ? Task.FromResult(new StockOutcome(StockResult.Refused, Message: refusal))
            : ChangeAsync(variantId, _ => quantity, kind, reason, reference, actor, cancellationToken);

    private async Task<StockOutcome> ChangeAsync(
        int variantId, Func<int, int> delta, StockMovementKind kind, string reason, string? reference, string actor, CancellationToken cancellationToken)
    {
        var (outcome, change) = await ChangeInTransactionAsync(variantId, delta, kind, reason, reference, actor, cancellationToken);
        if (outcome is not null)
        {
            return outcome;
        }
        if (change is { } c)
        {
            LogChanged(c.Sku, kind.ToText(), c.OnHand - (c.AvailableBefore + c.Reserved), c.OnHand, actor);
            await notifier.StockChangedAsync([c], kind.ToText(), listsChanged: true);
        }
        return new StockOutcome(StockResult.Done, await GetLevelAsync(variantId, cancellationToken));
    }

    /// <summary>Locks the variant, checks the change with <see cref="StockRules"/>, applies it with its movement.</summary>
    private async Task<(StockOutcome? Refused, VariantStock? Change)> ChangeInTransactionAsync(
        int variantId, Func<int, int> delta, StockMovementKind kind, string reason, string? reference, string actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        int onHand, reserved, productId;
        string sku;
        await using (var select = new NpgsqlCommand("SELECT on_hand, reserved, product_id, sku FROM variants WHERE id = @id FOR UPDATE", connection, transaction))
        {
            select.Parameters.Add(new NpgsqlParameter("id", NpgsqlDbType.Integer) { Value = variantId });
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return (new StockOutcome(StockResult.NotFound), null);
            }
            (onHand, reserved, productId, sku) = (reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetString(3));
        }

        var change = delta(onHand);
        if (StockRules.CheckOnHand(onHand + change, reserved) is { } refusal)
        {
            return (new StockOutcome(StockResult.Refused, Message: refusal), null);
        }
        if (change == 0)
        {
            return (null, null);
        }
        await using (var update = new NpgsqlCommand("""
            WITH changed AS (
                UPDATE variants
                SET on_hand = on_hand + @change,
                    units_sold = CASE WHEN @kind = 'return' THEN greatest(0, units_sold - @change) ELSE units_sold END,
                    updated_at = now()
                WHERE id = @id
                RETURNING id, on_hand
            )
            INSERT INTO stock_movements (variant_id, kind, quantity, on_hand_after, reason, reference, actor)
            SELECT id, @kind, @change, on_hand, @reason, @reference, @actor FROM changed
            """, connection, transaction))
        {
            update.Parameters.Add(new NpgsqlParameter("id", NpgsqlDbType.Integer) { Value = variantId });
            update.Parameters.Add(new NpgsqlParameter("change", NpgsqlDbType.Integer) { Value = change });
            update.Parameters.Add(new NpgsqlParameter("kind", NpgsqlDbType.Text) { Value = kind.ToText() });
            update.Parameters.Add(new NpgsqlParameter("reason", NpgsqlDbType.Text) { Value = reason });
            update.Parameters.Add(new NpgsqlParameter("reference", NpgsqlDbType.Text) { Value = (object?)reference ?? DBNull.Value });
            update.Parameters.Add(new NpgsqlParameter("actor", NpgsqlDbType.Text) { Value = actor });
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return (null, new VariantStock(variantId, productId, sku, onHand + change, reserved, AvailableBefore: onHand - reserved));
    }

    public async Task<StockLevelResponse?> GetLevelAsync(int variantId, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        var level = new NpgsqlBatchCommand("SELECT id, product_id, sku, on_hand, reserved, reorder_point, lead_time_days FROM variants WHERE id = $1");
        level.Parameters.Add(new NpgsqlParameter { Value = variantId });
        var movements = new NpgsqlBatchCommand("""
            SELECT id, kind, quantity, on_hand_after, reason, reference, actor, created_at
            FROM stock_movements WHERE variant_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2
            """);
        movements.Parameters.Add(new NpgsqlParameter { Value = variantId });
        movements.Parameters.Add(new NpgsqlParameter { Value = MovementsShown });
        batch.BatchCommands.Add(level);
        batch.BatchCommands.Add(movements);

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        var (id, productId, sku, onHand, reserved, reorderPoint, leadTime) =
            (reader.GetInt32(0), reader.GetInt32(1), reader.GetString(2), reader.GetInt32(3), reader.GetInt32(4), reader.GetInt32(5), reader.GetInt32(6));
        await reader.NextResultAsync(cancellationToken);
        var list = new List<StockMovementResponse>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new StockMovementResponse(
                reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.GetString(6), reader.GetFieldValue<DateTimeOffset>(7)));
        }
        return new StockLevelResponse(id, productId, sku, onHand, reserved, StockRules.Available(onHand, reserved), reorderPoint, leadTime, list);
    }

    /// <summary>Variants of listed products whose available stock is at or below their reorder point, the emptiest first.</summary>
    public async Task<LowStockPage> GetLowStockAsync(int page, int pageSize, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT v.id, v.product_id, p.name, v.sku, v.options::text, v.on_hand, v.reserved, v.reorder_point, v.lead_time_days, v.units_sold,
                   count(*) OVER ()
            FROM variants v JOIN products p ON p.id = v.product_id
            WHERE p.archived_at IS NULL AND v.on_hand - v.reserved <= v.reorder_point
            ORDER BY v.on_hand - v.reserved, v.units_sold DESC, v.id
            LIMIT $1 OFFSET $2
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = pageSize });
        command.Parameters.Add(new NpgsqlParameter { Value = (page - 1) * pageSize });
        var items = new List<LowStockItem>();
        var total = 0;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var onHand = reader.GetInt32(5);
                var reserved = reader.GetInt32(6);
                items.Add(new LowStockItem(
                    reader.GetInt32(0), reader.GetInt32(1), reader.GetString(2), reader.GetString(3),
                    System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(4)) ?? [],
                    onHand, reserved, StockRules.Available(onHand, reserved), reader.GetInt32(7), reader.GetInt32(8), reader.GetInt32(9)));
                total = (int)reader.GetInt64(10);
            }
        }
        if (items.Count == 0 && page > 1)
        {
            await using var count = dataSource.CreateCommand("""
                SELECT count(*) FROM variants v JOIN products p ON p.id = v.product_id
                WHERE p.archived_at IS NULL AND v.on_hand - v.reserved <= v.reorder_point
                """);
            total = (int)(long)(await count.ExecuteScalarAsync(cancellationToken))!;
        }
        return new LowStockPage(items, total, page, pageSize);
    }

    /// <summary>
    /// Every variant's stock and reorder settings (archived ones too, flagged), by variant id; only the given ids
    /// when <paramref name="ids"/> is not empty. For the forecaster's reorder advice and restock estimates. A page is
    /// either the <paramref name="page"/>-th, or (with <paramref name="afterId"/>) the variants after that id: the way
    /// through a large catalog, since each such page costs what the first does. The total is counted on its own.
    /// </summary>
    public async Task<StockLevelPage> GetLevelsAsync(int page, int pageSize, int[] ids, int? afterId, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        var rows = new NpgsqlBatchCommand("""
            SELECT v.id, v.product_id, p.name, v.sku, v.options::text, v.on_hand, v.reserved, v.reorder_point, v.lead_time_days,
                   p.archived_at IS NOT NULL, v.created_at
            FROM variants v JOIN products p ON p.id = v.product_id
            WHERE (cardinality($3::int[]) = 0 OR v.id = ANY($3::int[])) AND v.id > $4
            ORDER BY v.id
            LIMIT $1 OFFSET $2
            """);
        rows.Parameters.Add(new NpgsqlParameter { Value = pageSize });
        rows.Parameters.Add(new NpgsqlParameter { Value = afterId is null ? (page - 1) * pageSize : 0 });
        rows.Parameters.Add(new NpgsqlParameter { Value = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        rows.Parameters.Add(new NpgsqlParameter { Value = afterId ?? 0 });
        batch.BatchCommands.Add(rows);
        var count = new NpgsqlBatchCommand(ids.Length == 0 ? "SELECT count(*) FROM variants" : "SELECT count(*) FROM variants WHERE id = ANY($1::int[])");
        if (ids.Length > 0)
        {
            count.Parameters.Add(new NpgsqlParameter { Value = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        }
        batch.BatchCommands.Add(count);
        var items = new List<StockLevelItem>();
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var onHand = reader.GetInt32(5);
            var reserved = reader.GetInt32(6);
            items.Add(new StockLevelItem(
                reader.GetInt32(0), reader.GetInt32(1), reader.GetString(2), reader.GetString(3),
                System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(4)) ?? [],
                onHand, reserved, StockRules.Available(onHand, reserved), reader.GetInt32(7), reader.GetInt32(8), reader.GetBoolean(9),
                reader.GetFieldValue<DateTimeOffset>(10)));
        }
        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var total = (int)reader.GetInt64(0);
        return new StockLevelPage(items, total, afterId is null ? page : 0, pageSize);
    }

    [LoggerMessage(LogLevel.Information, "Stock of {Sku}: {Kind} {Change:+#;-#;0}, on hand now {OnHand} (by {Actor})")]
    private partial void LogChanged(string sku, string kind, int change, int onHand, string actor);
}
