using OrderingApi.Model;

namespace OrderingApi.Tests.Ordering;

public sealed class OrderStateMachineTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(OrderStatus.Submitted, OrderStatus.Paid)]
    [InlineData(OrderStatus.Submitted, OrderStatus.Cancelled)]
    [InlineData(OrderStatus.Paid, OrderStatus.Shipped)]
    [InlineData(OrderStatus.Paid, OrderStatus.Cancelled)]
    [InlineData(OrderStatus.Shipped, OrderStatus.Delivered)]
    public void The_lifecycle_allows_these_moves(OrderStatus from, OrderStatus to)
    {
        Assert.True(Order.CanMove(from, to));
        Assert.Null(Order.WhyNot(from, to));
    }

    [Fact]
    public void Every_other_move_is_refused_with_a_reason()
    {
        var allowed = new HashSet<(OrderStatus, OrderStatus)>
        {
            (OrderStatus.Submitted, OrderStatus.Paid), (OrderStatus.Submitted, OrderStatus.Cancelled), (OrderStatus.Paid, OrderStatus.Shipped),
            (OrderStatus.Paid, OrderStatus.Cancelled), (OrderStatus.Shipped, OrderStatus.Delivered),
        };
        foreach (var from in Enum.GetValues<OrderStatus>())
        {
            foreach (var to in Enum.GetValues<OrderStatus>().Where(to => !allowed.Contains((from, to))))
            {
                Assert.False(Order.CanMove(from, to), $"{from} -> {to}");
                Assert.False(string.IsNullOrWhiteSpace(Order.WhyNot(from, to)));
            }
        }
    }

    [Fact]
    public void A_shipped_order_cannot_be_cancelled_and_the_refusal_changes_nothing()
    {
        var order = Order.Submit("ada@example.test", At);
        Assert.NotNull(order.Pay("payment", At.AddSeconds(1), out _));
        Assert.NotNull(order.Ship("admin@example.test", At.AddDays(1), out _));

        var refused = order.Cancel("ada@example.test", At.AddDays(1).AddHours(1), "too late", out var reason);

        Assert.Null(refused);
        Assert.Equal("The order is Shipped: it can no longer be cancelled.", reason);
        Assert.Equal(OrderStatus.Shipped, order.Status);
        Assert.Equal([OrderStatus.Submitted, OrderStatus.Paid, OrderStatus.Shipped], order.History.Select(h => h.Status));
    }

    [Fact]
    public void Every_change_is_recorded_with_who_when_and_why()
    {
        var order = Order.Submit("ada@example.test", At);
        order.Cancel("ada@example.test", At.AddMinutes(5), "changed my mind", out _);

        Assert.Equal(
            [new OrderStatusChange(OrderStatus.Submitted, At, "ada@example.test", null), new OrderStatusChange(OrderStatus.Cancelled, At.AddMinutes(5), "ada@example.test", "changed my mind")],
            order.History);
        Assert.Equal("The order is cancelled.", Order.WhyNot(OrderStatus.Cancelled, OrderStatus.Paid));
        Assert.False(Order.CountsAsSale(OrderStatus.Cancelled));
        Assert.True(Order.CountsAsSale(OrderStatus.Delivered));
    }

    [Fact]
    public void A_loaded_order_continues_from_its_stored_status()
    {
        var order = Order.Load(OrderStatus.Paid, [new(OrderStatus.Submitted, At, "a", null), new(OrderStatus.Paid, At, "payment", null)]);

        Assert.Null(order.Pay("payment", At, out var reason));
        Assert.Equal("The order is already Paid.", reason);
        Assert.Null(order.Deliver("admin", At, out reason));
        Assert.Equal("An order that is Paid cannot become Delivered.", reason);
        Assert.NotNull(order.Ship("admin", At, out _));
        Assert.Equal(OrderStatus.Shipped, order.Status);
        Assert.Equal(3, order.History.Count);
    }
}
