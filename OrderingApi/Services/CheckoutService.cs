using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ECommerce.ServiceDefaults.Data;
using Npgsql;
using OrderingApi.Infrastructure;
using OrderingApi.Model;

namespace OrderingApi.Services;

public enum CheckoutResult
{
    Created,
    Replayed,
    Invalid,
    EmptyCart,
    LinesRefused,
    PaymentDeclined,
    KeyReused,
    Busy,
    UnknownCustomer,
}

public sealed record CheckoutOutcome(
    CheckoutResult Result,
    OrderResponse? Order = null,
    Dictionary<string, string[]>? Errors = null,
    IReadOnlyList<CheckoutLineProblem>? Lines = null);

/// <summary>
/// Checkout: the signed-in customer's cart becomes an order, exactly once per Idempotency-Key, never half-made.
/// <para>
/// One orderingdb transaction runs from start to end. It first inserts the (customer, key) record and takes the new
/// order's id: a second request with the same key blocks on that insert until the first ends, then finds its order and
/// answers with it. Then, with the cart's lock held: payment (simulated card) for the cart's prices, the cart's
/// reservations committed in the catalog all at once and only at those prices (or none: then the lines whose
/// reservation ended, whose price changed or that are no longer sold are named, and the cart shows them as they are
/// now), the order written with the lines as the catalog sold them, the daily sales counted and the key linked to the
/// order, and the transaction committed. If anything fails after the catalog commit, the stock is returned and the
/// payment voided; before it, the reservations stay with the cart. A declined card leaves a Cancelled order
/// ("payment declined") and the cart as it was, its stock still held: the shopper may pay another way.
/// </para>
/// </summary>
public sealed partial class CheckoutService(
    OrderStore store,
    CartService carts,
    CatalogClient catalog,
    PaymentGateway payments,
    TimeProvider timeProvider,
    ILogger<CheckoutService> logger)
{
    public const string PaymentActor = "payment";

    public async Task<CheckoutOutcome> CheckoutAsync(string userId, string? idempotencyKey, CheckoutRequest request, CancellationToken cancellationToken)
    {
        if (CheckoutRules.CheckIdempotencyKey(idempotencyKey) is { } keyProblem)
        {
            return new CheckoutOutcome(CheckoutResult.Invalid, Errors: new() { ["Idempotency-Key"] = [keyProblem] });
        }
        var key = idempotencyKey!;

        // One round trip for the customer and the claim: the key's record is inserted before the request is checked (its
        // hash of the checked request is written with the order); a request that turns out invalid rolls the claim back.
        await using var connection = await store.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var (customer, claimed) = await ClaimKeyAsync(connection, transaction, userId, key, cancellationToken);
        if (customer is null)
        {
            return new CheckoutOutcome(CheckoutResult.UnknownCustomer);
        }
        var errors = CheckoutRules.CheckCheckout(request, customer.Shipping, customer.Billing, out var shipping, out var billing, out var method, out var cardNumber);
        if (errors.Count > 0)
        {
            return new CheckoutOutcome(CheckoutResult.Invalid, Errors: errors);
        }
        var cardLast4 = cardNumber?[^4..];
        var requestHash = Hash(shipping!, billing!, method, cardLast4);
        if (claimed is null)
        {
            // Back to the pool before the replay takes one: a request never holds two connections at once.
            await transaction.RollbackAsync(cancellationToken);
            await connection.CloseAsync();
            return await ReplayAsync(userId, key, requestHash, cancellationToken);
        }
        var (id, number) = claimed.Value;

        var cartKey = CartKey.ForCustomer(userId);
        var (cartLock, cart) = await carts.LockAndLoadAsync(cartKey, cancellationToken);
        if (cartLock is null)
        {
            return new CheckoutOutcome(CheckoutResult.Busy);
        }
        await using var held = cartLock;
        if (cart is not { Lines.Count: > 0 })
        {
            return new CheckoutOutcome(CheckoutResult.EmptyCart);
        }

        var now = Microseconds(timeProvider.GetUtcNow());
        var expired = cart.Lines.Where(l => !l.IsReserved(now)).Select(l => new CheckoutLineProblem(l.VariantId, l.Sku,
            "The reservation of this line expired: set its quantity again to reserve the stock anew.")).ToList();
        if (expired.Count > 0)
        {
            return new CheckoutOutcome(CheckoutResult.LinesRefused, Lines: expired);
        }

        // The customer pays the cart's prices; the catalog commits the sale only if they are still its prices (and the
        // products still sold), else nothing is sold and the lines that changed are named.
        var cartLines = cart.Lines.Select(l => new NewOrderLine(l.VariantId, l.ProductId, l.Sku, l.ProductName, l.Options, l.Quantity, l.UnitPrice)).ToList();
        var total = cartLines.Sum(l => l.UnitPrice * l.Quantity);
        var holds = cart.Lines.SelectMany(l => l.Holds).Select(h => h.Id).ToList();

        var order = Order.Submit(customer.Email, now);
        PaymentResult? payment = null;
        if (method == PaymentMethod.Card)
        {
            payment = payments.Authorize(cardNumber!, total, $"{userId}/{key}");
            if (!payment.Approved)
            {
                return await DeclineAsync(connection, transaction, id, number, customer, order, cardLast4, shipping!, billing!, cartLines, key, requestHash, cancellationToken);
            }
            order.Pay(PaymentActor, now, out _);
        }

        BatchOutcome committed;
        try
        {
            committed = await catalog.CommitAsync(holds, number, cartLines.ToDictionary(l => l.VariantId, l => l.UnitPrice), cancellationToken);
        }
        catch (Exception e)
        {
            // No answer: the commit may have happened. Returning is harmless if it did not (nothing is committed).
            LogUndoing(e, number);
            await TryReturnAsync(holds, number);
            VoidPayment(payment, number);
            throw;
        }
        if (!committed.Done)
        {
            await transaction.RollbackAsync(cancellationToken);
            VoidPayment(payment, number);
            return await RefusedAsync(cart, cartKey, committed, now);
        }

        // The order's lines as the catalog sold them (its names now; the prices are the ones just checked).
        var lines = committed.Lines!
            .Select(l => new NewOrderLine(l.VariantId, l.ProductId, l.Sku, l.ProductName, l.Options, l.Quantity, l.Price))
            .ToList();
        // The cart is emptied before the order commits, not after: a process that dies between the two must not leave a
        // cart holding reservations a written order has sold (checking it out again would move that sale to a second
        // order). Dying there instead leaves no order and no cart; the sale reconciler puts the stock back.
        var cartEmptied = false;
        try
        {
            await OrderStore.InsertCheckoutAsync(connection, transaction, id, customer, order, method, cardLast4, shipping!, billing!, lines, holds, now,
                key, requestHash, StatusCodes.Status201Created, countsAsSale: true, cancellationToken);
            await carts.DeleteAsync(cartKey);
            cartEmptied = true;
            await transaction.CommitAsync(cancellationToken);
        }
        catch (Exception e)
        {
            // The order was not saved: the sale must not stand either, and the cart is given back.
            LogUndoing(e, number);
            await TryReturnAsync(holds, number);
            VoidPayment(payment, number);
            if (cartEmptied)
            {
                await TryRestoreCartAsync(cartKey, cart, number);
            }
            throw;
        }
        Placed(number, order.Status, lines.Count, total);
        return new CheckoutOutcome(CheckoutResult.Created, ToResponse(id, number, now, customer, order, method, shipping!, billing!, lines));
    }

    /// <summary>
    /// The catalog sold nothing: the lines it refused are named, and the cart is brought in step with it (holds it
    /// ended are shown as no longer reserved, changed prices as they are now, so checking out again accepts them).
    /// </summary>
    private async Task<CheckoutOutcome> RefusedAsync(StoredCart cart, CartKey cartKey, BatchOutcome committed, DateTimeOffset now)
    {
        var problems = new List<CheckoutLineProblem>();
        foreach (var line in cart.Lines)
        {
            if (committed.LineProblems?.FirstOrDefault(p => p.VariantId == line.VariantId) is { } changed)
            {
                catalog.Forget(line.VariantId);
                problems.Add(new CheckoutLineProblem(line.VariantId, line.Sku, changed.Sold
                    ? $"The price changed from {line.UnitPrice:0.00} to {changed.Price:0.00} EUR: check out again to accept the new price."
                    : "This item is no longer sold: remove it from the cart."));
                line.UnitPrice = changed.Price;
            }
            else if (line.Holds.Any(h => committed.Refused.ContainsKey(h.Id)))
            {
                problems.Add(new CheckoutLineProblem(line.VariantId, line.Sku, "The reservation of this line ended: set its quantity again to reserve the stock anew."));
                line.Holds = [.. line.Holds.Select(h => committed.Refused.ContainsKey(h.Id) ? h with { ExpiresAt = now } : h)];
            }
        }
        await carts.SaveAsync(cartKey, cart);
        return new CheckoutOutcome(CheckoutResult.LinesRefused, Lines: problems.Count > 0 ? problems
            : [.. cart.Lines.Select(l => new CheckoutLineProblem(l.VariantId, l.Sku, "The catalog refused this line's reservation."))]);
    }

    private async Task<CheckoutOutcome> DeclineAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long id, string number, CustomerProfile customer, Order order, string? cardLast4,
        Address shipping, Address billing, List<NewOrderLine> lines, string key, string requestHash, CancellationToken cancellationToken)
    {
        var now = Microseconds(timeProvider.GetUtcNow());
        order.Cancel(PaymentActor, now, "payment declined", out _);
        await OrderStore.InsertCheckoutAsync(connection, transaction, id, customer, order, PaymentMethod.Card, cardLast4, shipping, billing, lines, [], now,
            key, requestHash, StatusCodes.Status402PaymentRequired, countsAsSale: false, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        // The cart stays as it was, its stock still held, for another card or cash on delivery (a new attempt, a new
        // key); left alone, its reservations expire as any cart's do.
        Placed(number, order.Status, lines.Count, lines.Sum(l => l.UnitPrice * l.Quantity));
        return new CheckoutOutcome(CheckoutResult.PaymentDeclined, ToResponse(id, number, order.History[0].At, customer, order, PaymentMethod.Card, shipping, billing, lines));
    }

    /// <summary>
    /// The customer (null when the account is gone), and the key claimed for this request with the new order's id and
    /// number taken (one round trip); the claim is null when another request already used the key (waited for, if it is
    /// in progress). The claim's hash is written with the order (<see cref="OrderStore.InsertCheckoutAsync"/>): a claim is
    /// only ever committed with it.
    /// </summary>
    private static async Task<(CustomerProfile? Customer, (long Id, string Number)? Claimed)> ClaimKeyAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string userId, string key, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                // The checkout's statements (arrays of lines unnested, no joins) keep one cached plan each.
                GenericPlans.ForTransaction(),
                OrderStore.CustomerCommand(userId),
                OrderStore.TakeOrderIdCommand(),
                OrderStore.Command("""
                    INSERT INTO idempotency_records (customer_id, key, request_hash) VALUES (@customer, @key, '')
                    ON CONFLICT (customer_id, key) DO NOTHING
                    """,
                    new NpgsqlParameter("customer", userId), new NpgsqlParameter("key", key)),
            },
        };
        CustomerProfile? customer;
        (long, string) taken;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            await reader.NextResultAsync(cancellationToken); // past plan_cache_mode's row
            customer = await OrderStore.ReadCustomerAsync(reader, userId, cancellationToken);
            await reader.NextResultAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            taken = (reader.GetInt64(0), reader.GetString(1));
        }
        return (customer, batch.BatchCommands[3].RecordsAffected == 1 ? taken : null);
    }

    /// <summary>The answer of the first request with this key: the same order (or the same refusal of payment).</summary>
    private async Task<CheckoutOutcome> ReplayAsync(string userId, string key, string hash, CancellationToken cancellationToken)
    {
        string storedHash;
        long orderId;
        int status;
        // The reader is disposed once, here, before the order is read: Npgsql reuses a connection's reader object,
        // so disposing it again later would close whatever another request is reading on that connection by then.
        await using (var command = store.DataSource.CreateCommand(
            "SELECT request_hash, order_id, status_code FROM idempotency_records WHERE customer_id = @customer AND key = @key"))
        {
            command.Parameters.Add(new NpgsqlParameter("customer", userId));
            command.Parameters.Add(new NpgsqlParameter("key", key));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken) || reader.IsDBNull(1))
            {
                return new CheckoutOutcome(CheckoutResult.Busy);
            }
            (storedHash, orderId, status) = (reader.GetString(0), reader.GetInt64(1), reader.GetInt32(2));
        }
        if (storedHash != hash)
        {
            return new CheckoutOutcome(CheckoutResult.KeyReused);
        }
        var order = await store.GetAsync(orderId, cancellationToken);
        return new CheckoutOutcome(status == StatusCodes.Status402PaymentRequired ? CheckoutResult.PaymentDeclined : CheckoutResult.Replayed, order);
    }

    /// <summary>PostgreSQL keeps microseconds: the order answered now reads the same as when it is read back.</summary>
    public static DateTimeOffset Microseconds(DateTimeOffset at) => new(at.Ticks - at.Ticks % 10, at.Offset);

    private async Task TryReturnAsync(IReadOnlyList<Guid> holds, string number)
    {
        try
        {
            await catalog.ReturnAsync(holds, number + " (checkout failed)", CancellationToken.None);
        }
        catch (Exception e)
        {
            LogReturnFailed(e, number);
        }
    }

    private async Task TryRestoreCartAsync(CartKey cartKey, StoredCart cart, string number)
    {
        try
        {
            await carts.SaveAsync(cartKey, cart);
        }
        catch (Exception e)
        {
            LogCartNotRestored(e, number);
        }
    }

    private void VoidPayment(PaymentResult? payment, string reference)
    {
        if (payment?.AuthorizationId is { } authorization)
        {
            payments.Void(authorization, reference);
        }
    }

    private static string Hash(Address shipping, Address billing, PaymentMethod method, string? cardLast4) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { shipping, billing, method, cardLast4 }, OrderStore.Json))));

    private static OrderResponse ToResponse(long id, string number, DateTimeOffset createdAt, CustomerProfile customer, Order order, PaymentMethod method,
        Address shipping, Address billing, IReadOnlyList<NewOrderLine> lines) => new(
        id, number, order.Status.ToString(), createdAt, customer.Id, customer.Email, method == PaymentMethod.Card ? "card" : "cash",
        [.. lines.OrderBy(l => l.VariantId).Select(l => new OrderLineResponse(l.VariantId, l.ProductId, l.Sku, l.ProductName, l.Options, l.Quantity, l.UnitPrice, l.UnitPrice * l.Quantity))],
        lines.Sum(l => l.UnitPrice * l.Quantity), "EUR", shipping, billing,
        [.. order.History.Select(h => new OrderStatusChangeResponse(h.Status.ToString(), h.At, h.By, h.Reason))]);

    /// <summary>Counts the order (<see cref="OrderingTelemetry.OrdersPlaced"/>) and logs it at Debug.</summary>
    private void Placed(string number, OrderStatus status, int lines, decimal total)
    {
        OrderingTelemetry.OrdersPlaced.Add(1, new KeyValuePair<string, object?>("status", status.ToString()));
        LogPlaced(number, status, lines, total);
    }

    [LoggerMessage(LogLevel.Debug, "Order {Number} placed: {Status}, {Lines} lines, total {Total}")]
    private partial void LogPlaced(string number, OrderStatus status, int lines, decimal total);

    [LoggerMessage(LogLevel.Error, "Checkout of {Number} failed at or after the stock commit; returning the stock")]
    private partial void LogUndoing(Exception exception, string number);

    [LoggerMessage(LogLevel.Warning, "The cart of failed checkout {Number} could not be given back: the customer adds its lines again")]
    private partial void LogCartNotRestored(Exception exception, string number);

    [LoggerMessage(LogLevel.Critical, "The stock of failed checkout {Number} could not be returned to the catalog: reconcile by its reference")]
    private partial void LogReturnFailed(Exception exception, string number);
}
