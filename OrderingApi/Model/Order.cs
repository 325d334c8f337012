namespace OrderingApi.Model;

/// <summary>Where an order is in its life. Stored and shown by name ("Paid").</summary>
public enum OrderStatus
{
    Submitted,
    Paid,
    Shipped,
    Delivered,
    Cancelled,
}

/// <summary>One entry of an order's status history: what it became, when, who did it and why.</summary>
public sealed record OrderStatusChange(OrderStatus Status, DateTimeOffset At, string By, string? Reason);

/// <summary>
/// The order state machine, the one place that says which status changes are allowed:
/// Submitted -> Paid -> Shipped -> Delivered, and Cancelled from Submitted or Paid (before it ships). Every accepted
/// change is appended to the history with who made it; a refused one changes nothing and says why (the API's 409).
/// </summary>
public sealed class Order
{
    private static readonly Dictionary<OrderStatus, OrderStatus[]> Allowed = new()
    {
        [OrderStatus.Submitted] = [OrderStatus.Paid, OrderStatus.Cancelled],
        [OrderStatus.Paid] = [OrderStatus.Shipped, OrderStatus.Cancelled],
        [OrderStatus.Shipped] = [OrderStatus.Delivered],
        [OrderStatus.Delivered] = [],
        [OrderStatus.Cancelled] = [],
    };

    private readonly List<OrderStatusChange> _history;

    private Order(OrderStatus status, IEnumerable<OrderStatusChange> history)
    {
        Status = status;
        _history = [.. history];
    }

    public OrderStatus Status { get; private set; }

    public IReadOnlyList<OrderStatusChange> History => _history;

    /// <summary>A new order: Submitted, with that as the first history entry.</summary>
    public static Order Submit(string by, DateTimeOffset at) =>
        new(OrderStatus.Submitted, [new OrderStatusChange(OrderStatus.Submitted, at, by, null)]);

    /// <summary>An order read back from storage, to change it.</summary>
    public static Order Load(OrderStatus status, IEnumerable<OrderStatusChange> history) => new(status, history);

    public static bool CanMove(OrderStatus from, OrderStatus to) => Allowed[from].Contains(to);

    /// <summary>Why <paramref name="from"/> cannot become <paramref name="to"/>, or null when it can.</summary>
    public static string? WhyNot(OrderStatus from, OrderStatus to) => CanMove(from, to) ? null : (from, to) switch
    {
        (_, _) when from == to => $"The order is already {from}.",
        (OrderStatus.Shipped or OrderStatus.Delivered, OrderStatus.Cancelled) => $"The order is {from}: it can no longer be cancelled.",
        (OrderStatus.Cancelled, _) => "The order is cancelled.",
        _ => $"An order that is {from} cannot become {to}.",
    };

    /// <summary>Moves to <paramref name="to"/> and records it; returns the change, or null (and the reason) when refused.</summary>
    public OrderStatusChange? TryMove(OrderStatus to, string by, DateTimeOffset at, string? reason, out string? refusal)
    {
        refusal = WhyNot(Status, to);
        if (refusal is not null)
        {
            return null;
        }
        var change = new OrderStatusChange(to, at, by, reason);
        Status = to;
        _history.Add(change);
        return change;
    }

    public OrderStatusChange? Pay(string by, DateTimeOffset at, out string? refusal) => TryMove(OrderStatus.Paid, by, at, null, out refusal);

    public OrderStatusChange? Ship(string by, DateTimeOffset at, out string? refusal) => TryMove(OrderStatus.Shipped, by, at, null, out refusal);

    public OrderStatusChange? Deliver(string by, DateTimeOffset at, out string? refusal) => TryMove(OrderStatus.Delivered, by, at, null, out refusal);

    public OrderStatusChange? Cancel(string by, DateTimeOffset at, string? reason, out string? refusal) =>
        TryMove(OrderStatus.Cancelled, by, at, reason, out refusal);

    /// <summary>Whether the stock of this order counts as sold (in the daily sales): everything but a cancellation.</summary>
    public static bool CountsAsSale(OrderStatus status) => status != OrderStatus.Cancelled;
}
