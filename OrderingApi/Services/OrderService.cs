using Npgsql;
using OrderingApi.Infrastructure;
using OrderingApi.Model;

namespace OrderingApi.Services;

public enum OrderChangeResult
{
    Done,
    NotFound,
    Refused,
}

public sealed record OrderChangeOutcome(OrderChangeResult Result, OrderResponse? Order = null, string? Refusal = null);

/// <summary>
/// Status changes after checkout (cancel, ship, deliver): the order's row locked, the domain's <see cref="Order"/>
/// decides, the change and its history entry saved; a cancellation also takes the order out of the daily sales and
/// returns its committed stock to the catalog before the transaction commits (a failure there changes nothing, and
/// the return is safe to repeat).
/// </summary>
public sealed partial class OrderService(OrderStore store, CatalogClient catalog, TimeProvider timeProvider, ILogger<OrderService> logger)
{
    private const int MaxAttempts = 3;

    /// <param name="ownerId">When set, only this customer's order is found (another's reads as not found).</param>
    public async Task<OrderChangeOutcome> ChangeAsync(long id, OrderStatus target, string by, string? reason, string? ownerId, CancellationToken cancellationToken)
    {
        using var activity = OrderingTelemetry.Source.StartActivity($"order {target}");
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var outcome = await TryChangeAsync(id, target, by, reason, ownerId, cancellationToken);
                return outcome.Result == OrderChangeResult.Done
                    ? outcome with { Order = await store.GetAsync(id, cancellationToken) }
                    : outcome;
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure && attempt < MaxAttempts)
            {
                LogRetrying(e.SqlState, attempt);
            }
        }
    }

    private async Task<OrderChangeOutcome> TryChangeAsync(long id, OrderStatus target, string by, string? reason, string? ownerId, CancellationToken cancellationToken)
    {
        await using var connection = await store.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await OrderStore.LockAsync(connection, transaction, id, cancellationToken) is not { } locked
            || (ownerId is not null && locked.CustomerId != ownerId))
        {
            return new OrderChangeOutcome(OrderChangeResult.NotFound);
        }
        var (order, _, reservations, number) = locked;
        var before = order.Status;
        if (order.TryMove(target, by, CheckoutService.Microseconds(timeProvider.GetUtcNow()), reason, out var refusal) is not { } change)
        {
            return new OrderChangeOutcome(OrderChangeResult.Refused, Refusal: refusal);
        }
        var stopsCounting = Order.CountsAsSale(before) && !Order.CountsAsSale(target);
        await OrderStore.SaveChangeAsync(connection, transaction, id, change, stopsCounting, cancellationToken);
        if (target == OrderStatus.Cancelled && reservations.Length > 0)
        {
            var returned = await catalog.ReturnAsync(reservations, $"{number} cancelled", cancellationToken);
            if (!returned.Done)
            {
                throw new InvalidOperationException($"The catalog refused to return the stock of {number}: {string.Join(", ", returned.Refused.Select(r => $"{r.Key} is {r.Value}"))}.");
            }
        }
        await transaction.CommitAsync(cancellationToken);
        LogChanged(number, before, target, by);
        return new OrderChangeOutcome(OrderChangeResult.Done);
    }

    [LoggerMessage(LogLevel.Information, "Order {Number}: {From} -> {To} by {By}")]
    private partial void LogChanged(string number, OrderStatus from, OrderStatus to, string by);

    [LoggerMessage(LogLevel.Warning, "Order change failed with {SqlState}; retrying (attempt {Attempt})")]
    private partial void LogRetrying(string sqlState, int attempt);
}
