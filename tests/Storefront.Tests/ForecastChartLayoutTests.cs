using Storefront.Model;
using Storefront.Services;

namespace Storefront.Tests;

public sealed class ForecastChartLayoutTests
{
    private static readonly DateOnly Day = new(2026, 11, 1);

    [Theory]
    [InlineData(0, 1)]
    [InlineData(0.4, 1)]
    [InlineData(1.2, 2)]
    [InlineData(3, 5)]
    [InlineData(7, 10)]
    [InlineData(10, 10)]
    [InlineData(42, 50)]
    [InlineData(180, 200)]
    public void The_unit_axis_ends_at_a_round_number_at_or_above_the_highest_value(double highest, double expected) =>
        Assert.Equal(expected, ForecastChartLayout.NiceCeiling(highest));

    [Fact]
    public void History_comes_before_the_forecast_and_the_bands_reach_the_95_percent_upper_bound()
    {
        HistoryPoint[] history = [new(Day, 2), new(Day.AddDays(1), 6)];
        ForecastPoint[] points = [new(Day.AddDays(2), 3, 2, 4, 1, 8), new(Day.AddDays(3), 3, 2, 4, 1, 9)];

        var chart = new ForecastChartLayout(history, points, reorderPoint: 5);

        Assert.Equal(10, chart.Max); // 9 rounded up
        Assert.Equal(ForecastChartLayout.Left, chart.X(Day));
        Assert.Equal(chart.PlotRight, chart.X(Day.AddDays(3)));
        Assert.Equal(chart.PlotBottom, chart.Y(0));
        Assert.Equal(ForecastChartLayout.Top, chart.Y(10));
        Assert.Equal(chart.Y(5), chart.ReorderY);
        Assert.Equal(chart.X(Day.AddDays(2)), chart.ForecastStartX);
        Assert.Equal(2, chart.HistoryLine.Split(' ').Length);
        Assert.StartsWith("M", chart.Band95);
        Assert.EndsWith("Z", chart.Band95);
        Assert.Equal(5, chart.YTicks.Count);
    }

    [Fact]
    public void No_data_draws_an_empty_chart_without_failing()
    {
        var chart = new ForecastChartLayout([], [], reorderPoint: null);

        Assert.Equal("", chart.HistoryLine);
        Assert.Equal("", chart.Band80);
        Assert.Null(chart.ReorderY);
        Assert.Null(chart.ForecastStartX);
    }
}
