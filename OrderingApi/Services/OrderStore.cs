using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using OrderingApi.Model;

namespace OrderingApi.Services;

/// <summary>An order line as checkout writes it (prices and names from the catalog at that moment).</summary>
public sealed record NewOrderLine(int VariantId, int ProductId, string Sku, string ProductName, IReadOnlyDictionary<string, string> Options, int Quantity, decimal UnitPrice);

public sealed record OrderFilter(string? CustomerId = null, OrderStatus? Status = null, string? Email = null, DateOnly? From = null, DateOnly? To = null);

/// <summary>The signed-in customer as checkout needs them: email and the profile's default addresses.</summary>
public sealed record CustomerProfile(string Id, string Email, Address? Shipping, Address? Billing);

/// <summary>
/// orderingdb's orders (SQL in 0002_orders.sql), read and written with plain Npgsql: an order is three small reads
/// (the order, its lines, its history) batched in one round trip.
/// </summary>
public sealed class OrderStore([FromKeyedServices("orderingdb")] NpgsqlDataSource dataSource)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public NpgsqlDataSource DataSource => dataSource;

    /// <summary>The customer's email and default addresses (<see cref="ReadCustomerAsync"/> reads the answer).</summary>
    public static NpgsqlBatchCommand CustomerCommand(string userId) => Command("""
        SELECT "Email",
               "DefaultShippingAddress_FullName", "DefaultShippingAddress_Line1", "DefaultShippingAddress_Line2",
               "DefaultShippingAddress_City", "DefaultShippingAddress_PostalCode", "DefaultShippingAddress_Country",
               "DefaultBillingAddress_FullName", "DefaultBillingAddress_Line1", "DefaultBillingAddress_Line2",
               "DefaultBillingAddress_City", "DefaultBillingAddress_PostalCode", "DefaultBillingAddress_Country"
        FROM "AspNetUsers" WHERE "Id" = @id
        """, new NpgsqlParameter("id", userId));

    /// <summary>The answer of <see cref="CustomerCommand"/> at the reader's current result; null when there is no such user.</summary>
    public static async Task<CustomerProfile?> ReadCustomerAsync(NpgsqlDataReader reader, string userId, CancellationToken cancellationToken)
    {
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        return new CustomerProfile(userId, reader.IsDBNull(0) ? "" : reader.GetString(0), ReadAddress(reader, 1), ReadAddress(reader, 7));

        static Address? ReadAddress(NpgsqlDataReader reader, int at) => reader.IsDBNull(at + 1)
            ? null
            : new Address(reader.IsDBNull(at) ? "" : reader.GetString(at), reader.GetString(at + 1), reader.IsDBNull(at + 2) ? null : reader.GetString(at + 2),
                reader.IsDBNull(at + 3) ? "" : reader.GetString(at + 3), reader.IsDBNull(at + 4) ? "" : reader.GetString(at + 4),
                reader.IsDBNull(at + 5) ? "" : reader.GetString(at + 5));
    }

    /// <summary>
    /// A new order's id, taken ahead of writing it (so its number can name the stock commit first): from the orders' own
    /// sequence, as the demo history takes them. The number is the one its row's generated column will hold.
    /// </summary>
    public static NpgsqlBatchCommand TakeOrderIdCommand() => Command("SELECT id, 'SO-' || lpad(id::text, 8, '0') FROM nextval('orders_id_seq') AS id");

    /// <summary>
    /// Writes a checkout's order in one round trip, part of the caller's transaction: the order (with the id taken
    /// before), its lines and first history entries; the checkout's idempotency record linked to it with the status code
    /// of the first answer; and, when it counts as a sale, its lines added to the daily sales (rows in variant order, so
    /// concurrent checkouts never deadlock).
    /// </summary>
    public static async Task InsertCheckoutAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long id, CustomerProfile customer, Order order, PaymentMethod method,
        string? cardLast4, Address shipping, Address billing, IReadOnlyList<NewOrderLine> lines, IReadOnlyList<Guid> reservationIds,
        DateTimeOffset at, string key, string requestHash, int statusCode, bool countsAsSale, CancellationToken cancellationToken)
    {
        var insert = Command("""
            WITH o AS (
                INSERT INTO orders (id, customer_id, customer_email, status, payment_method, card_last4, total, shipping_address, billing_address,
                                    created_at, updated_at, reservation_ids)
                VALUES (@id, @customer, @email, @status, @method, @last4, @total, @shipping, @billing, @at, @at, @reservations)
                RETURNING id
            ),
            lines AS (
                INSERT INTO order_lines (order_id, variant_id, product_id, sku, product_name, options, quantity, unit_price)
                SELECT o.id, l.* FROM o, unnest(@variants, @products, @skus, @names, @options::jsonb[], @quantities, @prices) AS l
            )
            INSERT INTO order_status_history (order_id, status, at, by, reason)
            SELECT o.id, h.* FROM o, unnest(@changes, @changedAt, @changedBy, @reasons) AS h
            """,
            new NpgsqlParameter("id", id),
            new NpgsqlParameter("customer", customer.Id),
            new NpgsqlParameter("email", customer.Email),
            new NpgsqlParameter("status", order.Status.ToString()),
            new NpgsqlParameter("method", method == PaymentMethod.Card ? "card" : "cash"),
            new NpgsqlParameter("last4", NpgsqlDbType.Text) { Value = (object?)cardLast4 ?? DBNull.Value },
            new NpgsqlParameter("total", lines.Sum(l => l.UnitPrice * l.Quantity)),
            new NpgsqlParameter("shipping", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(shipping, Json) },
            new NpgsqlParameter("billing", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(billing, Json) },
            new NpgsqlParameter("at", at),
            new NpgsqlParameter("reservations", reservationIds.ToArray()),
            new NpgsqlParameter("variants", lines.Select(l => l.VariantId).ToArray()),
            new NpgsqlParameter("products", lines.Select(l => l.ProductId).ToArray()),
            new NpgsqlParameter("skus", lines.Select(l => l.Sku).ToArray()),
            new NpgsqlParameter("names", lines.Select(l => l.ProductName).ToArray()),
            new NpgsqlParameter("options", lines.Select(l => JsonSerializer.Serialize(l.Options, Json)).ToArray()),
            new NpgsqlParameter("quantities", lines.Select(l => l.Quantity).ToArray()),
            new NpgsqlParameter("prices", lines.Select(l => l.UnitPrice).ToArray()),
            new NpgsqlParameter("changes", order.History.Select(h => h.Status.ToString()).ToArray()),
            new NpgsqlParameter("changedAt", order.History.Select(h => h.At).ToArray()),
            new NpgsqlParameter("changedBy", order.History.Select(h => h.By).ToArray()),
            new NpgsqlParameter("reasons", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = order.History.Select(h => h.Reason).ToArray() });
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                insert,
                Command("UPDATE idempotency_records SET order_id = @order, status_code = @status, request_hash = @hash WHERE customer_id = @customer AND key = @key",
                    new NpgsqlParameter("order", id), new NpgsqlParameter("status", statusCode), new NpgsqlParameter("hash", requestHash),
                    new NpgsqlParameter("customer", customer.Id), new NpgsqlParameter("key", key)),
            },
        };
        if (countsAsSale)
        {
            batch.BatchCommands.Add(Command("""
                INSERT INTO sales_daily (variant_id, day, units)
                SELECT variant_id, (@at AT TIME ZONE 'UTC')::date, quantity
                FROM unnest(@variants, @quantities) AS l (variant_id, quantity)
                ORDER BY variant_id
                ON CONFLICT (variant_id, day) DO UPDATE SET units = sales_daily.units + excluded.units
                """,
                new NpgsqlParameter("at", at),
                new NpgsqlParameter("variants", lines.Select(l => l.VariantId).ToArray()),
                new NpgsqlParameter("quantities", lines.Select(l => l.Quantity).ToArray())));
        }
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Records a status change: the order's status, a history entry, and the daily sales when it stops counting as one.</summary>
    public static async Task SaveChangeAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long id, OrderStatusChange change, bool stopsCountingAsSale,
        CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                Command("UPDATE orders SET status = @status, updated_at = @at WHERE id = @id",
                    new NpgsqlParameter("status", change.Status.ToString()), new NpgsqlParameter("at", change.At), new NpgsqlParameter("id", id)),
                HistoryCommand(id, change),
            },
        };
        if (stopsCountingAsSale)
        {
            batch.BatchCommands.Add(Command("""
                UPDATE sales_daily s SET units = s.units - l.quantity
                FROM order_lines l, orders o
                WHERE o.id = @id AND l.order_id = o.id AND s.variant_id = l.variant_id AND s.day = (o.created_at AT TIME ZONE 'UTC')::date
                """, new NpgsqlParameter("id", id)));
        }
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The order's status, history, owner and reservations, its row locked until the transaction ends.</summary>
    public static async Task<(Order Order, string CustomerId, Guid[] Reservations, string Number)?> LockAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long id, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                Command("SELECT status, customer_id, reservation_ids, number FROM orders WHERE id = @id FOR UPDATE", new NpgsqlParameter("id", id)),
                Command("SELECT status, at, by, reason FROM order_status_history WHERE order_id = @id ORDER BY id", new NpgsqlParameter("id", id)),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        var (status, customerId, reservations, number) = (Enum.Parse<OrderStatus>(reader.GetString(0)), reader.GetString(1), reader.GetFieldValue<Guid[]>(2), reader.GetString(3));
        await reader.NextResultAsync(cancellationToken);
        var history = new List<OrderStatusChange>();
        while (await reader.ReadAsync(cancellationToken))
        {
            history.Add(ReadChange(reader));
        }
        return (Order.Load(status, history), customerId, reservations, number);
    }

    public async Task<OrderResponse?> GetAsync(long id, CancellationToken cancellationToken) =>
        (await ReadManyAsync([id], cancellationToken)).SingleOrDefault();

    public async Task<long?> FindByNumberAsync(string number, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT id FROM orders WHERE number = @number");
        command.Parameters.Add(new NpgsqlParameter("number", number.Trim().ToUpperInvariant()));
        return await command.ExecuteScalarAsync(cancellationToken) is long id ? id : null;
    }

    /// <summary>A page of orders matching the filter, newest first, and how many match in all.</summary>
    public async Task<OrderPage> ListAsync(OrderFilter filter, int page, int pageSize, CancellationToken cancellationToken)
    {
        const string where = """
            WHERE (@customer IS NULL OR customer_id = @customer)
              AND (@status IS NULL OR status = @status)
              AND (@email IS NULL OR lower(customer_email) = lower(@email))
              AND (@from IS NULL OR created_at >= @from)
              AND (@to IS NULL OR created_at < @to)
            """;
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Command($"SELECT count(*)::integer FROM orders {where}", FilterParameters(filter)));
        batch.BatchCommands.Add(Command($"SELECT id FROM orders {where} ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset",
            [.. FilterParameters(filter), new NpgsqlParameter("limit", pageSize), new NpgsqlParameter("offset", (page - 1) * pageSize)]));
        var ids = new List<long>();
        int total;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            total = reader.GetInt32(0);
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetInt64(0));
            }
        }
        var orders = (await ReadManyAsync(ids, cancellationToken)).ToDictionary(o => o.Id);
        return new OrderPage([.. ids.Select(id => orders[id])], total, page, pageSize);
    }

    private static NpgsqlParameter[] FilterParameters(OrderFilter filter) =>
    [
        new("customer", NpgsqlDbType.Text) { Value = (object?)filter.CustomerId ?? DBNull.Value },
        new("status", NpgsqlDbType.Text) { Value = (object?)filter.Status?.ToString() ?? DBNull.Value },
        new("email", NpgsqlDbType.Text) { Value = (object?)filter.Email ?? DBNull.Value },
        new("from", NpgsqlDbType.TimestampTz) { Value = (object?)filter.From?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) ?? DBNull.Value },
        new("to", NpgsqlDbType.TimestampTz) { Value = (object?)filter.To?.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) ?? DBNull.Value },
    ];

    private async Task<List<OrderResponse>> ReadManyAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }
        var idArray = ids.ToArray();
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Command("""
            SELECT id, number, status, created_at, customer_id, customer_email, payment_method, total, currency, shipping_address, billing_address
            FROM orders WHERE id = ANY (@ids)
            """, new NpgsqlParameter("ids", idArray)));
        batch.BatchCommands.Add(Command("""
            SELECT order_id, variant_id, product_id, sku, product_name, options, quantity, unit_price
            FROM order_lines WHERE order_id = ANY (@ids) ORDER BY order_id, variant_id
            """, new NpgsqlParameter("ids", idArray)));
        batch.BatchCommands.Add(Command("SELECT order_id, status, at, by, reason FROM order_status_history WHERE order_id = ANY (@ids) ORDER BY order_id, id",
            new NpgsqlParameter("ids", idArray)));

        var heads = new List<(long Id, string Number, string Status, DateTimeOffset CreatedAt, string CustomerId, string Email, string Method, decimal Total, string Currency, Address Shipping, Address Billing)>();
        var lines = new Dictionary<long, List<OrderLineResponse>>();
        var history = new Dictionary<long, List<OrderStatusChangeResponse>>();
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                heads.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3), reader.GetString(4),
                    reader.GetString(5), reader.GetString(6), reader.GetDecimal(7), reader.GetString(8),
                    JsonSerializer.Deserialize<Address>(reader.GetString(9), Json)!, JsonSerializer.Deserialize<Address>(reader.GetString(10), Json)!));
            }
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var quantity = reader.GetInt32(6);
                var price = reader.GetDecimal(7);
                Add(lines, reader.GetInt64(0), new OrderLineResponse(reader.GetInt32(1), reader.GetInt32(2), reader.GetString(3), reader.GetString(4),
                    JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(5), Json)!, quantity, price, price * quantity));
            }
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var change = ReadChange(reader, 1);
                Add(history, reader.GetInt64(0), new OrderStatusChangeResponse(change.Status.ToString(), change.At, change.By, change.Reason));
            }
        }
        return [.. heads.Select(h => new OrderResponse(h.Id, h.Number, h.Status, h.CreatedAt, h.CustomerId, h.Email, h.Method,
            lines.GetValueOrDefault(h.Id) ?? [], h.Total, h.Currency, h.Shipping, h.Billing, history.GetValueOrDefault(h.Id) ?? []))];

        static void Add<T>(Dictionary<long, List<T>> into, long id, T item)
        {
            if (!into.TryGetValue(id, out var list))
            {
                into[id] = list = [];
            }
            list.Add(item);
        }
    }

    private static OrderStatusChange ReadChange(NpgsqlDataReader reader, int at = 0) => new(
        Enum.Parse<OrderStatus>(reader.GetString(at)), reader.GetFieldValue<DateTimeOffset>(at + 1), reader.GetString(at + 2),
        reader.IsDBNull(at + 3) ? null : reader.GetString(at + 3));

    private static NpgsqlBatchCommand HistoryCommand(long id, OrderStatusChange change) => Command(
        "INSERT INTO order_status_history (order_id, status, at, by, reason) VALUES (@id, @status, @at, @by, @reason)",
        new NpgsqlParameter("id", id), new NpgsqlParameter("status", change.Status.ToString()), new NpgsqlParameter("at", change.At),
        new NpgsqlParameter("by", change.By), new NpgsqlParameter("reason", NpgsqlDbType.Text) { Value = (object?)change.Reason ?? DBNull.Value });

    public static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }
}
