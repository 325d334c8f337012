using ForecastWorker.Services;

namespace ForecastWorker.Tests;

public class ReorderMathTests
{
    private const double Z90 = 1.2815515655446004;

    private static double[] Flat(double value, int days = 60) => Enumerable.Repeat(value, days).ToArray();

    [Fact]
    public void Safety_factor_is_the_normal_quantile_of_the_service_level()
    {
        Assert.Equal(1.6449, ReorderMath.SafetyFactor(0.95), 3);
        Assert.Equal(2.3263, ReorderMath.SafetyFactor(0.99), 3);
        Assert.Equal(0, ReorderMath.SafetyFactor(0.5), 9);
        Assert.Throws<ArgumentOutOfRangeException>(() => ReorderMath.SafetyFactor(1));
    }

    [Fact]
    public void Reorder_point_is_lead_time_demand_plus_safety_stock_from_the_daily_spread()
    {
        // 4 a day with a daily sigma of 2 (upper 80% bound = mean + 1.2816 sigma), lead time 9 days:
        // lead-time demand 36, lead-time sigma 2 * sqrt(9) = 6, safety stock 1.645 * 6 = 9.87 -> 10, reorder point 46.
        var mean = Flat(4);
        var upper = Flat(4 + 2 * Z90);
        var advice = ReorderMath.Advise(available: 100, leadTimeDays: 9, mean, upper, serviceLevel: 0.95, reviewPeriodDays: 14);

        Assert.Equal(36, advice.LeadTimeDemand, 6);
        Assert.Equal(4, advice.DailyDemand, 6);
        Assert.Equal(10, advice.SafetyStock);
        Assert.Equal(46, advice.ReorderPoint);
        Assert.Equal(25, advice.DaysOfCover!.Value, 6);
        Assert.Equal(0, advice.SuggestedQuantity); // 100 available is above the reorder point
    }

    [Fact]
    public void At_or_below_the_reorder_point_the_order_covers_lead_time_and_review_period_plus_safety_stock()
    {
        var mean = Flat(4);
        var upper = Flat(4 + 2 * Z90);
        var advice = ReorderMath.Advise(available: 20, leadTimeDays: 9, mean, upper, 0.95, reviewPeriodDays: 14);

        // (9 + 14) * 4 = 92 demand, + 10 safety stock, - 20 available = 82.
        Assert.Equal(82, advice.SuggestedQuantity);
        Assert.Equal(5, advice.DaysOfCover!.Value, 6);
        Assert.Equal(5 - 9, advice.Slack(9), 6);
    }

    [Fact]
    public void A_higher_service_level_holds_more_safety_stock()
    {
        var mean = Flat(3);
        var upper = Flat(5);
        var at90 = ReorderMath.Advise(10, 14, mean, upper, 0.90, 7);
        var at99 = ReorderMath.Advise(10, 14, mean, upper, 0.99, 7);
        Assert.True(at99.SafetyStock > at90.SafetyStock);
        Assert.True(at99.ReorderPoint > at90.ReorderPoint);
        Assert.True(at99.SuggestedQuantity > at90.SuggestedQuantity);
    }

    [Fact]
    public void Days_of_cover_follow_the_daily_forecast_and_continue_past_the_horizon_at_its_average()
    {
        // 1, 2, 3 a day: 5 units last into the third day (1 + 2 = 3, then 2 of 3).
        Assert.Equal(2 + 2.0 / 3, ReorderMath.DaysOfCover(5, [1, 2, 3], demandAfter: 2)!.Value, 9);
        // 10 units: 6 in the three days, then 4 more at 2 a day.
        Assert.Equal(5, ReorderMath.DaysOfCover(10, [1, 2, 3], demandAfter: 2)!.Value, 9);
        Assert.Equal(0, ReorderMath.DaysOfCover(0, [1, 2, 3], 2));
        Assert.Equal(0, ReorderMath.DaysOfCover(-3, [1, 2, 3], 2));
        Assert.Null(ReorderMath.DaysOfCover(5, [0, 0, 0], 0));
    }

    [Fact]
    public void No_demand_means_no_order_and_no_stockout()
    {
        var advice = ReorderMath.Advise(available: 3, leadTimeDays: 14, Flat(0), Flat(0), 0.95, 14);
        Assert.Equal(0, advice.ReorderPoint);
        Assert.Equal(0, advice.SuggestedQuantity);
        Assert.Null(advice.DaysOfCover);
        Assert.Equal(double.PositiveInfinity, advice.Slack(14));
    }

    [Fact]
    public void Sold_out_with_demand_orders_and_is_most_urgent()
    {
        var mean = Flat(2);
        var upper = Flat(3);
        var soldOut = ReorderMath.Advise(available: 0, leadTimeDays: 7, mean, upper, 0.95, 7);
        var plenty = ReorderMath.Advise(available: 500, leadTimeDays: 7, mean, upper, 0.95, 7);
        Assert.Equal(0, soldOut.DaysOfCover);
        Assert.True(soldOut.SuggestedQuantity >= 28);
        Assert.True(soldOut.Slack(7) < plenty.Slack(7));
    }

    [Fact]
    public void A_lead_time_longer_than_the_forecast_uses_its_average_and_last_spread()
    {
        var advice = ReorderMath.Advise(available: 0, leadTimeDays: 10, mean: [1, 3], upper80: [1, 3 + Z90], 0.5, 0);
        // Days 3..10 continue at the average of 2 a day: 1 + 3 + 8 * 2 = 20; service level 50% needs no safety stock.
        Assert.Equal(20, advice.LeadTimeDemand, 9);
        Assert.Equal(0, advice.SafetyStock);
        Assert.Equal(20, advice.ReorderPoint);
        Assert.Equal(20, advice.SuggestedQuantity);
    }

    [Fact]
    public void Restock_estimate_for_a_sold_out_variant_is_its_lead_time()
    {
        var today = new DateOnly(2026, 11, 21);
        var soldOut = RestockEstimator.Estimate(available: 0, archived: false, leadTimeDays: 12, today, dailyDemand: 1.5);
        Assert.True(soldOut.SoldOut);
        Assert.Equal(12, soldOut.ExpectedInDays);
        Assert.Equal(new DateOnly(2026, 12, 3), soldOut.ExpectedDate);
        Assert.Contains("12 days", soldOut.Basis);

        var inStock = RestockEstimator.Estimate(available: 4, archived: false, leadTimeDays: 12, today, null);
        Assert.False(inStock.SoldOut);
        Assert.Null(inStock.ExpectedInDays);

        var archived = RestockEstimator.Estimate(available: 0, archived: true, leadTimeDays: 12, today, null);
        Assert.True(archived.SoldOut);
        Assert.Null(archived.ExpectedDate);

        Assert.Equal(1, RestockEstimator.Estimate(0, false, 0, today, null).ExpectedInDays);
    }
}
