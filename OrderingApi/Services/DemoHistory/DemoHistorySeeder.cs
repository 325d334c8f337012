using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using OrderingApi.Infrastructure;
using OrderingApi.Model;

namespace OrderingApi.Services.DemoHistory;

/// <summary>
/// On the first start with <c>Ordering:DemoHistory:Enabled</c>, fills orderingdb with two years of generated orders
/// (up to yesterday) over the catalog as catalog-api serves it: in the background, so start-up is not held up, asking
/// catalog-api until it answers. Done once per database: the run is recorded in <c>demo_history_runs</c>, in the same
/// transaction as the data, under an advisory lock (two instances starting together generate it once). Everything is
/// written with binary COPY. Demo customers have no password: they cannot sign in.
/// </summary>
public sealed partial class DemoHistorySeeder(
    [FromKeyedServices("orderingdb")] NpgsqlDataSource dataSource,
    IServiceScopeFactory scopeFactory,
    IOptions<DemoHistorySettings> settings,
    TimeProvider timeProvider,
    ILogger<DemoHistorySeeder> logger) : BackgroundService
{
    private const long SeedLockKey = 0x4F52_444E_0003; // "ORDN" 3

    /// <summary>Products per page of the catalog read (catalog-api's largest page).</summary>
    private const int CatalogPageSize = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.Value.Enabled)
        {
            return;
        }
        await GenerateHistoryAsync(stoppingToken);
        await GenerateReviewsAsync(stoppingToken);
    }

    /// <summary>The demo history's reviews of its delivered orders (also for a history written before reviews existed); then every rating summary to the catalog.</summary>
    private async Task GenerateReviewsAsync(CancellationToken stoppingToken)
    {
        try
        {
            var started = Stopwatch.GetTimestamp();
            if (await DemoReviewSeeder.SeedAsync(dataSource, SeedLockKey, settings.Value.Seed, timeProvider.GetUtcNow(), stoppingToken) is { } reviews)
            {
                LogReviews(reviews, Stopwatch.GetElapsedTime(started).TotalSeconds);
                using var scope = scopeFactory.CreateScope();
                scope.ServiceProvider.GetRequiredService<Reviews.RatingPublisher>().RequestRebuild();
            }
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            LogReviewsFailed(e);
        }
    }

    private async Task GenerateHistoryAsync(CancellationToken stoppingToken)
    {
        var options = settings.Value;
        try
        {
            if (await IsDoneAsync(dataSource, stoppingToken))
            {
                LogAlreadyThere();
                return;
            }
            using var activity = OrderingTelemetry.Source.StartActivity("demo history");
            var started = Stopwatch.GetTimestamp();
            var asOf = timeProvider.GetUtcNow();
            var variants = await LoadCatalogAsync(asOf, options.CatalogWait, stoppingToken);
            var fetched = Stopwatch.GetElapsedTime(started);

            var lastDay = DateOnly.FromDateTime(asOf.UtcDateTime).AddDays(-1);
            var firstDay = options.StartDate ?? lastDay.AddDays(-729);
            var history = DemoHistoryGenerator.Generate(variants, options.Seed, options.Customers, options.OrdersPerDay, firstDay, lastDay, asOf);
            var generated = Stopwatch.GetElapsedTime(started);

            var (written, lines) = await WriteAsync(history, variants, options.Seed, started, stoppingToken);
            var total = Stopwatch.GetElapsedTime(started);
            if (written)
            {
                activity?.SetTag("ordering.demo.orders", history.Orders.Count);
                LogGenerated(history.Orders.Count, lines, history.Customers.Count, variants.Count, firstDay, lastDay,
                    fetched.TotalSeconds, (generated - fetched).TotalSeconds, (total - generated).TotalSeconds, total.TotalSeconds);
            }
            else
            {
                LogAlreadyThere();
            }
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            LogFailed(e);
        }
    }

    public static async Task<bool> IsDoneAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM demo_history_runs)");
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// Every variant of every product that existed when the history was asked for (not products made since, e.g. by tests),
    /// read a page of product details at a time by the last product id.
    /// </summary>
    private async Task<List<DemoVariant>> LoadCatalogAsync(DateTimeOffset asOf, TimeSpan wait, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(wait.TotalSeconds * Stopwatch.Frequency);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var scope = scopeFactory.CreateAsyncScope();
                var catalog = scope.ServiceProvider.GetRequiredService<CatalogClient>();
                var variants = new List<DemoVariant>();
                for (int? afterId = 0; afterId is { } after;)
                {
                    var page = await catalog.ListProductDetailsAsync(after, CatalogPageSize, cancellationToken);
                    variants.AddRange(page.Items
                        .Where(p => !p.Archived && p.CreatedAt <= asOf)
                        .SelectMany(p => p.Variants.OrderBy(v => v.Id).Select(v => new DemoVariant(v.Id, p.Id, v.Sku, p.Name, v.Options, v.Price,
                            [.. p.CategoryPath.Select(c => c.Slug).Reverse()]))));
                    afterId = page.NextAfterId;
                }
                if (variants.Count == 0)
                {
                    throw new InvalidOperationException("The catalog has no products yet.");
                }
                return variants;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && Stopwatch.GetTimestamp() < deadline)
            {
                LogWaitingForCatalog(attempt, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(5, attempt)), cancellationToken);
            }
        }
    }

    /// <summary>Writes the history in one transaction; false when another instance did it first.</summary>
    private async Task<(bool Written, int Lines)> WriteAsync(GeneratedHistory history, IReadOnlyList<DemoVariant> variants, int seed, long started, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({SeedLockKey})", cancellationToken);
        if (await ScalarAsync<bool>(connection, "SELECT EXISTS (SELECT 1 FROM demo_history_runs)", cancellationToken))
        {
            return (false, 0);
        }
        var steps = new List<string>();
        var step = Stopwatch.GetTimestamp();
        void Step(string name)
        {
            steps.Add($"{name} {Stopwatch.GetElapsedTime(step).TotalSeconds:0.00} s");
            step = Stopwatch.GetTimestamp();
        }
        var customerRole = await ScalarAsync<string>(connection, """SELECT "Id" FROM "AspNetRoles" WHERE "NormalizedName" = 'CUSTOMER'""", cancellationToken);

        // Order ids straight from the sequence (lines and history refer to them): checkouts meanwhile are not held up.
        var ids = new long[history.Orders.Count];
        await using (var take = new NpgsqlCommand("SELECT nextval('orders_id_seq') FROM generate_series(1, @count)", connection, transaction))
        {
            take.Parameters.Add(new NpgsqlParameter("count", ids.Length));
            await using var reader = await take.ExecuteReaderAsync(cancellationToken);
            for (var i = 0; await reader.ReadAsync(cancellationToken); i++)
            {
                ids[i] = reader.GetInt64(0);
            }
        }

        using (var users = await connection.BeginBinaryImportAsync("""
            COPY "AspNetUsers" ("Id", "UserName", "NormalizedUserName", "Email", "NormalizedEmail", "EmailConfirmed", "SecurityStamp",
                "ConcurrencyStamp", "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnabled", "AccessFailedCount", "Name", "CreatedAt",
                "DefaultShippingAddress_FullName", "DefaultShippingAddress_Line1", "DefaultShippingAddress_City",
                "DefaultShippingAddress_PostalCode", "DefaultShippingAddress_Country") FROM STDIN (FORMAT BINARY)
            """, cancellationToken))
        {
            foreach (var c in history.Customers)
            {
                users.StartRow();
                users.Write(c.Id, NpgsqlDbType.Text);
                users.Write(c.Email, NpgsqlDbType.Varchar);
                users.Write(c.Email.ToUpperInvariant(), NpgsqlDbType.Varchar);
                users.Write(c.Email, NpgsqlDbType.Varchar);
                users.Write(c.Email.ToUpperInvariant(), NpgsqlDbType.Varchar);
                users.Write(true, NpgsqlDbType.Boolean);
                users.Write(c.Id.Replace("-", "").ToUpperInvariant(), NpgsqlDbType.Text);
                users.Write(c.Id, NpgsqlDbType.Text);
                users.Write(false, NpgsqlDbType.Boolean);
                users.Write(false, NpgsqlDbType.Boolean);
                users.Write(true, NpgsqlDbType.Boolean);
                users.Write(0, NpgsqlDbType.Integer);
                users.Write(c.Name, NpgsqlDbType.Varchar);
                users.Write(c.CreatedAt, NpgsqlDbType.TimestampTz);
                users.Write(c.Address.FullName, NpgsqlDbType.Varchar);
                users.Write(c.Address.Line1, NpgsqlDbType.Varchar);
                users.Write(c.Address.City, NpgsqlDbType.Varchar);
                users.Write(c.Address.PostalCode, NpgsqlDbType.Varchar);
                users.Write(c.Address.Country, NpgsqlDbType.Varchar);
            }
            await users.CompleteAsync(cancellationToken);
        }
        using (var roles = await connection.BeginBinaryImportAsync("""COPY "AspNetUserRoles" ("UserId", "RoleId") FROM STDIN (FORMAT BINARY)""", cancellationToken))
        {
            foreach (var c in history.Customers)
            {
                roles.StartRow();
                roles.Write(c.Id, NpgsqlDbType.Text);
                roles.Write(customerRole, NpgsqlDbType.Text);
            }
            await roles.CompleteAsync(cancellationToken);
        }
        Step("customers");

        using (var orders = await connection.BeginBinaryImportAsync("""
            COPY orders (id, customer_id, customer_email, status, payment_method, card_last4, total, shipping_address, billing_address,
                         created_at, updated_at, demo) FROM STDIN (FORMAT BINARY)
            """, cancellationToken))
        {
            var addresses = history.Customers.Select(c => JsonSerializer.Serialize(c.Address, OrderStore.Json)).ToArray();
            for (var i = 0; i < history.Orders.Count; i++)
            {
                var o = history.Orders[i];
                var customer = history.Customers[o.Customer];
                var address = addresses[o.Customer];
                orders.StartRow();
                orders.Write(ids[i], NpgsqlDbType.Bigint);
                orders.Write(customer.Id, NpgsqlDbType.Text);
                orders.Write(customer.Email, NpgsqlDbType.Text);
                orders.Write(o.Status.ToString(), NpgsqlDbType.Text);
                orders.Write(o.Card ? "card" : "cash", NpgsqlDbType.Text);
                if (o.Card)
                {
                    orders.Write("4242", NpgsqlDbType.Text);
                }
                else
                {
                    orders.WriteNull();
                }
                orders.Write(o.Total, NpgsqlDbType.Numeric);
                orders.Write(address, NpgsqlDbType.Jsonb);
                orders.Write(address, NpgsqlDbType.Jsonb);
                orders.Write(o.CreatedAt, NpgsqlDbType.TimestampTz);
                orders.Write(History(o, customer).Last().At, NpgsqlDbType.TimestampTz);
                orders.Write(true, NpgsqlDbType.Boolean);
            }
            await orders.CompleteAsync(cancellationToken);
        }
        Step("orders");

        var lineCount = 0;
        using (var lines = await connection.BeginBinaryImportAsync("""
            COPY order_lines (order_id, variant_id, product_id, sku, product_name, options, quantity, unit_price) FROM STDIN (FORMAT BINARY)
            """, cancellationToken))
        {
            var options = variants.Select(v => JsonSerializer.Serialize(v.Options, OrderStore.Json)).ToArray();
            for (var i = 0; i < history.Orders.Count; i++)
            {
                foreach (var line in history.Orders[i].Lines)
                {
                    var v = variants[line.Variant];
                    lines.StartRow();
                    lines.Write(ids[i], NpgsqlDbType.Bigint);
                    lines.Write(v.VariantId, NpgsqlDbType.Integer);
                    lines.Write(v.ProductId, NpgsqlDbType.Integer);
                    lines.Write(v.Sku, NpgsqlDbType.Text);
                    lines.Write(v.ProductName, NpgsqlDbType.Text);
                    lines.Write(options[line.Variant], NpgsqlDbType.Jsonb);
                    lines.Write(line.Quantity, NpgsqlDbType.Integer);
                    lines.Write(line.UnitPrice, NpgsqlDbType.Numeric);
                    lineCount++;
                }
            }
            await lines.CompleteAsync(cancellationToken);
        }
        Step("lines");

        using (var changes = await connection.BeginBinaryImportAsync(
            "COPY order_status_history (order_id, status, at, by, reason) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            for (var i = 0; i < history.Orders.Count; i++)
            {
                var o = history.Orders[i];
                foreach (var change in History(o, history.Customers[o.Customer]))
                {
                    changes.StartRow();
                    changes.Write(ids[i], NpgsqlDbType.Bigint);
                    changes.Write(change.Status.ToString(), NpgsqlDbType.Text);
                    changes.Write(change.At, NpgsqlDbType.TimestampTz);
                    changes.Write(change.By, NpgsqlDbType.Text);
                    if (change.Reason is null)
                    {
                        changes.WriteNull();
                    }
                    else
                    {
                        changes.Write(change.Reason, NpgsqlDbType.Text);
                    }
                }
            }
            await changes.CompleteAsync(cancellationToken);
        }
        Step("history");

        await using (var finish = new NpgsqlCommand("""
            INSERT INTO sales_daily (variant_id, day, units)
            SELECT l.variant_id, (o.created_at AT TIME ZONE 'UTC')::date, sum(l.quantity)
            FROM orders o JOIN order_lines l ON l.order_id = o.id
            WHERE o.demo AND o.status <> 'Cancelled'
            GROUP BY 1, 2
            ON CONFLICT (variant_id, day) DO UPDATE SET units = sales_daily.units + excluded.units;
            INSERT INTO demo_history_runs (id, seed, customers, orders, lines, first_day, last_day, elapsed_ms)
            VALUES (1, @seed, @customers, @orders, @lines, @firstDay, @lastDay, @elapsed);
            """, connection, transaction))
        {
            finish.Parameters.Add(new NpgsqlParameter("seed", seed));
            finish.Parameters.Add(new NpgsqlParameter("customers", history.Customers.Count));
            finish.Parameters.Add(new NpgsqlParameter("orders", history.Orders.Count));
            finish.Parameters.Add(new NpgsqlParameter("lines", lineCount));
            finish.Parameters.Add(new NpgsqlParameter("firstDay", history.FirstDay));
            finish.Parameters.Add(new NpgsqlParameter("lastDay", history.LastDay));
            finish.Parameters.Add(new NpgsqlParameter("elapsed", (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds));
            await finish.ExecuteNonQueryAsync(cancellationToken);
        }
        Step("daily sales");
        await transaction.CommitAsync(cancellationToken);
        Step("commit");
        // Tens of thousands of rows arrived at once: the planner gets their statistics now, not when autovacuum comes round
        // (until then it guessed 600 lines per order and read every order for a month of sales analytics: 305 ms, not 25).
        await using (var analyze = new NpgsqlCommand("ANALYZE orders, order_lines, order_status_history, sales_daily", connection))
        {
            await analyze.ExecuteNonQueryAsync(cancellationToken);
        }
        Step("analyze");
        LogWriteSteps(string.Join(", ", steps));
        return (true, lineCount);
    }

    /// <summary>An order's history as its times say: submitted, paid, then shipped and delivered, or cancelled by the customer.</summary>
    public static IEnumerable<OrderStatusChange> History(DemoOrder order, DemoCustomer customer)
    {
        yield return new OrderStatusChange(OrderStatus.Submitted, order.CreatedAt, customer.Email, null);
        if (order.Card)
        {
            yield return new OrderStatusChange(OrderStatus.Paid, order.PaidAt, CheckoutService.PaymentActor, null);
        }
        if (order.Status == OrderStatus.Cancelled)
        {
            yield return new OrderStatusChange(OrderStatus.Cancelled, order.PaidAt.AddHours(2), customer.Email, "cancelled by the customer");
            yield break;
        }
        if (order.Status is OrderStatus.Shipped or OrderStatus.Delivered)
        {
            if (!order.Card)
            {
                // Cash on delivery: paid when it is handed over; the warehouse ships it before.
                yield return new OrderStatusChange(OrderStatus.Paid, order.ShippedAt.AddMinutes(-5), "warehouse", "cash on delivery accepted");
            }
            yield return new OrderStatusChange(OrderStatus.Shipped, order.ShippedAt, "warehouse", null);
        }
        if (order.Status == OrderStatus.Delivered)
        {
            yield return new OrderStatusChange(OrderStatus.Delivered, order.DeliveredAt, "carrier", null);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    [LoggerMessage(LogLevel.Information,
        "Demo history: {Orders} orders ({Lines} lines) of {Customers} customers over {Variants} variants, {FirstDay} to {LastDay}; " +
        "catalog read in {FetchSeconds:0.00} s, generated in {GenerateSeconds:0.00} s, written in {WriteSeconds:0.00} s; {TotalSeconds:0.00} s in all")]
    private partial void LogGenerated(int orders, int lines, int customers, int variants, DateOnly firstDay, DateOnly lastDay,
        double fetchSeconds, double generateSeconds, double writeSeconds, double totalSeconds);

    [LoggerMessage(LogLevel.Information, "Demo history written: {Steps}")]
    private partial void LogWriteSteps(string steps);

    [LoggerMessage(LogLevel.Information, "Demo history already generated in this database")]
    private partial void LogAlreadyThere();

    [LoggerMessage(LogLevel.Information, "Demo history: waiting for catalog-api (attempt {Attempt}: {Reason})")]
    private partial void LogWaitingForCatalog(int attempt, string reason);

    [LoggerMessage(LogLevel.Information, "Demo reviews written: {Reviews} in {Seconds:0.0} s")]
    private partial void LogReviews(int reviews, double seconds);

    [LoggerMessage(LogLevel.Error, "Demo reviews could not be written; they are tried again at the next start")]
    private partial void LogReviewsFailed(Exception exception);

    [LoggerMessage(LogLevel.Error, "Demo history could not be generated; it is tried again at the next start")]
    private partial void LogFailed(Exception exception);
}
