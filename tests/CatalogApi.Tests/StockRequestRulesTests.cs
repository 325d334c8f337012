using CatalogApi.Model;
using CatalogApi.Services;

namespace CatalogApi.Tests;

public sealed class StockRequestRulesTests
{
    [Fact]
    public void A_reservation_needs_an_owner_and_positive_lines()
    {
        var errors = StockRequestRules.CheckReservation(
            new CreateReservationRequest(null, " ", [new ReservationLineInput(null, 1), new ReservationLineInput(3, 0)], 0, null), 3600);
        Assert.Equal(["expiresInSeconds", "lines[0].variantId", "lines[1].quantity", "owner"], errors.Keys.Order());
    }

    [Fact]
    public void A_reservation_has_at_least_one_line() =>
        Assert.Contains("lines", StockRequestRules.CheckReservation(new CreateReservationRequest(null, "cart:1", [], null, null), 3600).Keys);

    [Fact]
    public void Repeated_lines_of_a_variant_count_together() =>
        Assert.Contains("lines", StockRequestRules.CheckReservation(
            new CreateReservationRequest(null, "cart:1", [new(1, StockRules.MaxQuantity), new(1, 1)], null, null), 3600).Keys);

    [Fact]
    public void A_good_reservation_passes() =>
        Assert.Empty(StockRequestRules.CheckReservation(new CreateReservationRequest(Guid.NewGuid(), "cart:1", [new(1, 2), new(5, 1)], 900, "order:7"), 3600));

    [Fact]
    public void Setting_stock_needs_a_count_and_a_reason() =>
        Assert.Equal(["onHand", "reason"], StockRequestRules.CheckSet(new SetStockRequest(-1, "")).Keys.Order());

    [Theory]
    [InlineData(5, "receipt", null)]
    [InlineData(-5, "receipt", "quantity")]
    [InlineData(-5, "adjustment", null)]
    [InlineData(5, "sale", "kind")]
    [InlineData(5, "gift", "kind")]
    public void Adjustments_are_checked_by_kind(int quantity, string kind, string? field)
    {
        var errors = StockRequestRules.CheckAdjust(new AdjustStockRequest(quantity, kind, "delivery", null), out _);
        Assert.Equal(field is null ? [] : [field], errors.Keys);
    }

    [Fact]
    public void Extending_needs_a_lifetime_within_the_limit()
    {
        Assert.Contains("expiresInSeconds", StockRequestRules.CheckExtend(new ExtendReservationRequest(null), 60).Keys);
        Assert.Contains("expiresInSeconds", StockRequestRules.CheckExtend(new ExtendReservationRequest(61), 60).Keys);
        Assert.Empty(StockRequestRules.CheckExtend(new ExtendReservationRequest(60), 60));
    }
}
