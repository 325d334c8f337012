using ForecastWorker.Forecasting;
using ForecastWorker.Forecasting.Models;

namespace ForecastWorker.Tests;

public class ModelTests
{
    private const int Horizon = 28;

    private static PointForecast FitAndForecast(IForecastModel model, SeriesWindow history, int horizon = Horizon)
    {
        var fitted = model.Fit(history);
        Assert.NotNull(fitted);
        return fitted.Forecast(history, horizon);
    }

    public static TheoryData<string> WeeklyModels() =>
        ["SeasonalNaive", "HoltWintersAdditive", "HoltWintersMultiplicative", "Theta", "DowMonthProfile", "DowFourierProfile"];

    private static IForecastModel Model(string name) => ForecastEngine.DefaultPool().Single(m => m.Name == name);

    [Theory]
    [MemberData(nameof(WeeklyModels))]
    public void Pure_weekly_pattern_is_forecast_almost_exactly(string name)
    {
        var values = Synthetic.Weekly(2 * 364 + 3, Synthetic.Start);
        var history = Synthetic.Window(values);

        var forecast = FitAndForecast(Model(name), history);

        var expected = Synthetic.Weekly(Horizon, history.End);
        for (var h = 0; h < Horizon; h++) Assert.Equal(expected[h], forecast.Mean[h], 0.01 * expected[h]);
    }

    [Theory]
    [InlineData("SeasonalNaive")]
    [InlineData("HoltWintersAdditive")]
    [InlineData("Theta")]
    [InlineData("DowMonthProfile")]
    [InlineData("DowFourierProfile")]
    public void Weekday_without_sales_stays_at_zero_and_leaves_the_level_alone(string name)
    {
        // A shop closed on Sundays.
        var values = Synthetic.Weekly(2 * 364 + 3, Synthetic.Start);
        for (var t = 0; t < values.Length; t++) if (Synthetic.Start.AddDays(t).DayOfWeek == DayOfWeek.Sunday) values[t] = 0;
        var history = Synthetic.Window(values);

        var forecast = FitAndForecast(Model(name), history);

        for (var h = 0; h < Horizon; h++)
        {
            var date = history.End.AddDays(h);
            var expected = date.DayOfWeek == DayOfWeek.Sunday ? 0 : Synthetic.WeeklyPattern[(int)date.DayOfWeek];
            Assert.Equal(expected, Math.Max(0, forecast.Mean[h]), 0.01 * expected + 0.5);
        }
    }

    [Fact]
    public void Seasonal_naive_repeats_the_last_week()
    {
        double[] values = [5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
        var forecast = FitAndForecast(new SeasonalNaiveModel(), Synthetic.Window(values), 10);
        Assert.Equal([7, 8, 9, 10, 11, 12, 13, 7, 8, 9], forecast.Mean);
        // The error spread grows with each week repeated.
        Assert.True(forecast.Sigma[7] > forecast.Sigma[6]);
    }

    [Theory]
    [InlineData("SeasonalNaive")]
    [InlineData("SES")]
    [InlineData("HoltWintersAdditive")]
    [InlineData("HoltWintersMultiplicative")]
    [InlineData("Theta")]
    [InlineData("DowMonthProfile")]
    [InlineData("DowFourierProfile")]
    [InlineData("Croston")]
    [InlineData("TSB")]
    public void Constant_series_gives_that_constant(string name)
    {
        var forecast = FitAndForecast(Model(name), Synthetic.Window(Synthetic.Constant(500, 12)));
        Assert.All(forecast.Mean, m => Assert.Equal(12, m, 1e-6));
    }

    [Fact]
    public void Holt_winters_follows_a_linear_trend_with_damping()
    {
        var history = Synthetic.Window(Synthetic.Linear(364, 100, 0.5));
        var forecast = FitAndForecast(new HoltWintersModel(multiplicative: false), history);

        var truth = Synthetic.Linear(364 + Horizon, 100, 0.5)[364..];
        for (var h = 0; h < Horizon; h++)
        {
            // Damping bends the trend down a little over four weeks, but not much.
            Assert.Equal(truth[h], forecast.Mean[h], 0.02 * truth[h]);
        }
        Assert.True(forecast.Mean[^1] > forecast.Mean[0] + 5, "The forecast keeps rising.");
    }

    [Fact]
    public void Theta_and_yearly_profile_rise_with_a_trend()
    {
        var history = Synthetic.Window(Synthetic.Linear(800, 100, 0.2));
        var last = history[history.Length - 1];
        foreach (var model in new IForecastModel[] { new ThetaModel(), new YearlyProfileModel(YearlyShape.Monthly) })
        {
            var forecast = FitAndForecast(model, history, 90);
            Assert.True(forecast.Mean[^1] > last, $"{model.Name} should keep rising: {forecast.Mean[^1]} after {last}");
            Assert.True(forecast.Mean[^1] < last + 0.2 * 90 * 1.1, $"{model.Name} should not overshoot the trend");
        }
    }

    [Fact]
    public void Yearly_profile_recovers_month_and_weekday_shape()
    {
        var start = new DateOnly(2013, 1, 1);
        var values = Synthetic.Seasonal(4 * 365, start, 50, seed: 1);
        var history = new SeriesWindow(values, start);

        var forecast = FitAndForecast(new YearlyProfileModel(YearlyShape.Monthly), history, 90);

        // The truth without the noise: level 50 growing 0.02% a day, times month and weekday (as Synthetic.Seasonal).
        double[] month = [0.75, 0.8, 0.95, 1.05, 1.1, 1.2, 1.3, 1.2, 1.05, 0.95, 0.85, 0.8];
        double[] weekday = [1.25, 0.8, 0.9, 0.92, 0.98, 1.05, 1.1];
        var errors = 0.0;
        for (var h = 0; h < 90; h++)
        {
            var t = values.Length + h;
            var date = start.AddDays(t);
            var truth = 50 * (1 + 0.0002 * t) * month[date.Month - 1] * weekday[(int)date.DayOfWeek];
            errors += Math.Abs(forecast.Mean[h] - truth) / truth;
        }
        Assert.True(errors / 90 < 0.03, $"mean relative error {errors / 90:P1}");
    }

    [Fact]
    public void Croston_on_regular_lumpy_demand_forecasts_the_rate()
    {
        // 4 units every fourth day: a rate of exactly 1 a day.
        var values = Enumerable.Range(0, 400).Select(t => t % 4 == 3 ? 4.0 : 0).ToArray();
        var history = Synthetic.Window(values);

        var croston = FitAndForecast(new CrostonModel(CrostonVariant.Classic), history);
        var sba = FitAndForecast(new CrostonModel(CrostonVariant.Sba), history);
        var tsb = FitAndForecast(new TsbModel(), history);

        Assert.All(croston.Mean, m => Assert.Equal(1.0, m, 1e-6));
        Assert.All(sba.Mean, m => Assert.InRange(m, 0.84, 0.999)); // Croston x (1 - alpha/2)
        Assert.All(tsb.Mean, m => Assert.InRange(m, 0.85, 1.15));
    }

    [Theory]
    [InlineData(0.1, 2.0, 11)]
    [InlineData(0.3, 1.5, 12)]
    [InlineData(0.05, 4.0, 13)]
    public void Intermittent_methods_forecast_the_mean_demand_rate(double probability, double size, int seed)
    {
        var values = Synthetic.Intermittent(730, probability, size, seed);
        var history = Synthetic.Window(values);
        // Against the rate seen over the last year (sparse samples wander from probability x size).
        var rate = values[^365..].Average();
        Assert.InRange(rate, 0.5 * probability * size, 1.5 * probability * size);
        foreach (var model in new IForecastModel[] { new CrostonModel(CrostonVariant.Classic), new CrostonModel(CrostonVariant.Sba), new TsbModel() })
        {
            var forecast = FitAndForecast(model, history);
            Assert.All(forecast.Mean, m => Assert.Equal(forecast.Mean[0], m));
            Assert.InRange(forecast.Mean[0], 0.5 * rate, 1.6 * rate);
            Assert.All(forecast.Sigma, s => Assert.True(s > 0));
        }
    }

    [Fact]
    public void Multiplicative_holt_winters_refuses_a_history_with_zero_days()
    {
        var values = Synthetic.Weekly(200, Synthetic.Start);
        values[150] = 0;
        Assert.Null(new HoltWintersModel(multiplicative: true).Fit(Synthetic.Window(values)));
        Assert.NotNull(new HoltWintersModel(multiplicative: false).Fit(Synthetic.Window(values)));
    }

    [Fact]
    public void Models_refuse_histories_shorter_than_they_need()
    {
        var history = Synthetic.Window(Synthetic.Constant(100, 3));
        foreach (var model in ForecastEngine.DefaultPool())
        {
            var fitted = model.Fit(history);
            if (model.MinHistory > 100) Assert.Null(fitted);
            else Assert.NotNull(fitted);
        }
    }

    [Fact]
    public void Fitted_model_forecasts_from_a_longer_history_without_refitting()
    {
        var values = Synthetic.Seasonal(900, Synthetic.Start, 30, seed: 4);
        var series = Synthetic.Window(values);
        var fitted = new HoltWintersModel(multiplicative: false).Fit(series.Take(800))!;

        var early = fitted.Forecast(series.Take(800), 7);
        var late = fitted.Forecast(series, 7);

        Assert.NotEqual(early.Mean, late.Mean);
        Assert.Equal(new HoltWintersModel(multiplicative: false).Fit(series.Take(800))!.Forecast(series, 7).Mean, late.Mean);
    }

    [Fact]
    public void Nelder_mead_finds_the_minimum_of_a_bounded_quadratic()
    {
        var x = Optimizer.NelderMead(
            p => (p[0] - 0.3) * (p[0] - 0.3) + 2 * (p[1] - 0.7) * (p[1] - 0.7),
            [0.5, 0.5], [0.1, 0.1], [0, 0], [1, 1], maxEvaluations: 400, tolerance: 1e-12);
        Assert.Equal(0.3, x[0], 1e-3);
        Assert.Equal(0.7, x[1], 1e-3);

        // The bound holds when the minimum lies outside the box.
        var clamped = Optimizer.NelderMead(p => (p[0] - 2) * (p[0] - 2), [0.5], [0.1], [0], [1], maxEvaluations: 200);
        Assert.Equal(1, clamped[0], 1e-6);

        Assert.Equal(0.25, Optimizer.GoldenSection(a => (a - 0.25) * (a - 0.25), 0, 1, 1e-6), 1e-4);
    }
}
