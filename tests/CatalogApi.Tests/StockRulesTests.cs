using CatalogApi.Model;

namespace CatalogApi.Tests;

public sealed class StockRulesTests
{
    [Theory]
    [InlineData(10, 0, 10, true)]
    [InlineData(10, 4, 6, true)]
    [InlineData(10, 4, 7, false)]
    [InlineData(0, 0, 1, false)]
    [InlineData(5, 5, 1, false)]
    [InlineData(5, 0, 0, false)]
    [InlineData(5, 0, -1, false)]
    public void A_reservation_needs_that_many_available(int onHand, int reserved, int quantity, bool allowed) =>
        Assert.Equal(allowed, StockRules.CanReserve(onHand, reserved, quantity));

    [Fact]
    public void Available_is_on_hand_minus_reserved() => Assert.Equal(7, StockRules.Available(10, 3));

    [Theory]
    [InlineData(5, 0, 5, true)]
    [InlineData(6, 0, 5, false)]
    [InlineData(10, 6, 5, true)]
    public void Low_stock_is_available_at_or_below_the_reorder_point(int onHand, int reserved, int reorderPoint, bool low) =>
        Assert.Equal(low, StockRules.IsLow(onHand, reserved, reorderPoint));

    [Theory]
    [InlineData(StockMovementKind.Receipt, 5, true)]
    [InlineData(StockMovementKind.Receipt, 0, false)]
    [InlineData(StockMovementKind.Receipt, -3, false)]
    [InlineData(StockMovementKind.Return, 2, true)]
    [InlineData(StockMovementKind.Return, -2, false)]
    [InlineData(StockMovementKind.Adjustment, -4, true)]
    [InlineData(StockMovementKind.Adjustment, 0, false)]
    [InlineData(StockMovementKind.Adjustment, 200_000, false)]
    [InlineData(StockMovementKind.Sale, -1, false)]
    public void Adjustments_follow_their_kind(StockMovementKind kind, int quantity, bool allowed) =>
        Assert.Equal(allowed, StockRules.CheckAdjustment(kind, quantity) is null);

    [Theory]
    [InlineData(10, 3, true)]
    [InlineData(3, 3, true)]
    [InlineData(2, 3, false)]
    [InlineData(-1, 0, false)]
    public void On_hand_never_goes_below_what_is_reserved(int onHand, int reserved, bool allowed) =>
        Assert.Equal(allowed, StockRules.CheckOnHand(onHand, reserved) is null);

    [Fact]
    public void Lines_are_merged_per_variant_and_ordered_by_id()
    {
        var merged = StockRules.MergeLines([(40, 1), (7, 2), (40, 3), (12, 1)]);
        Assert.Equal([(7, 2), (12, 1), (40, 4)], merged);
    }

    [Theory]
    [InlineData("receipt", true, StockMovementKind.Receipt)]
    [InlineData("RETURN", true, StockMovementKind.Return)]
    [InlineData("adjustment", true, StockMovementKind.Adjustment)]
    [InlineData("1", false, StockMovementKind.Receipt)]
    [InlineData("theft", false, StockMovementKind.Receipt)]
    public void Movement_kinds_parse_by_name_only(string text, bool ok, StockMovementKind expected)
    {
        Assert.Equal(ok, StockRules.TryParseKind(text, out var kind));
        if (ok)
        {
            Assert.Equal(expected, kind);
        }
    }
}
