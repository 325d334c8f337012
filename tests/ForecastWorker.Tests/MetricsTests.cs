using ForecastWorker.Forecasting;

namespace ForecastWorker.Tests;

public class MetricsTests
{
    [Fact]
    public void Rmsse_scales_by_the_one_step_naive_error_from_the_first_sale()
    {
        // From the first sale: 2, 4, 3, 5; day-to-day changes 2, -1, 2; mean square 3.
        double[] history = [0, 0, 2, 4, 3, 5];
        double[] actual = [4, 6];
        double[] forecast = [5, 4]; // errors -1, 2: mean square 2.5

        Assert.Equal(Math.Sqrt(3), ForecastMetrics.NaiveRmsScale(history), 12);
        Assert.Equal(Math.Sqrt(2.5) / Math.Sqrt(3), ForecastMetrics.Rmsse(history, actual, forecast), 12);
    }

    [Fact]
    public void Mase_scales_by_the_weekly_seasonal_naive_error_from_the_first_sale()
    {
        // From the first sale: 1..7, 9, 10; changes on a week: 9 - 1 = 8 and 10 - 2 = 8.
        double[] history = [0, 1, 2, 3, 4, 5, 6, 7, 9, 10];
        double[] actual = [10, 12];
        double[] forecast = [12, 8]; // absolute errors 2 and 4

        Assert.Equal(8, ForecastMetrics.SeasonalNaiveMaeScale(history), 12);
        Assert.Equal(3.0 / 8, ForecastMetrics.Mase(history, actual, forecast), 12);
    }

    [Fact]
    public void Scaled_errors_are_undefined_without_a_usable_scale()
    {
        double[] actual = [1, 2];
        double[] forecast = [1, 1];
        Assert.True(double.IsNaN(ForecastMetrics.Rmsse([0, 0, 0], actual, forecast)), "no sale yet");
        Assert.True(double.IsNaN(ForecastMetrics.Rmsse([0, 5], actual, forecast)), "one day from the first sale");
        Assert.True(double.IsNaN(ForecastMetrics.Rmsse([3, 3, 3, 3], actual, forecast)), "constant history");
        Assert.True(double.IsNaN(ForecastMetrics.Mase([1, 2, 3, 4, 5, 6, 7], actual, forecast)), "no full week before a day");
    }

    [Fact]
    public void Rmse_and_mae()
    {
        Assert.Equal(Math.Sqrt((1 + 4 + 0) / 3.0), ForecastMetrics.Rmse([1, 2, 3], [2, 0, 3]), 12);
        Assert.Equal(1.0, ForecastMetrics.Mae([1, 2, 3], [2, 0, 3]), 12);
        Assert.Throws<ArgumentException>(() => ForecastMetrics.Rmse([1, 2], [1]));
    }
}
