using ForecastWorker.Forecasting;

namespace ForecastWorker.Tests;

public class ForecastEngineTests
{
    private static readonly ForecastEngine Engine = new();

    private static void AssertIntervalsOrdered(SeriesForecast f)
    {
        for (var h = 0; h < f.Mean.Length; h++)
        {
            Assert.True(f.Lower95[h] >= 0, "bounds are never negative");
            Assert.True(f.Lower95[h] <= f.Lower80[h] + 1e-12);
            Assert.True(f.Lower80[h] <= f.Mean[h] + 1e-12);
            Assert.True(f.Mean[h] <= f.Upper80[h] + 1e-12);
            Assert.True(f.Upper80[h] <= f.Upper95[h] + 1e-12);
        }
    }

    [Fact]
    public void Selector_never_uses_data_after_the_origin()
    {
        // The same history twice: once alone, once followed by a poisoned future in the same array.
        var clean = Synthetic.Seasonal(900, Synthetic.Start, 40, seed: 3);
        var poisoned = clean.Concat(Enumerable.Repeat(1e9, 60)).ToArray();

        var fromClean = Engine.Forecast(new SeriesWindow(clean, Synthetic.Start), 28, allMethods: true);
        var fromPoisoned = Engine.Forecast(new SeriesWindow(poisoned, 0, clean.Length, Synthetic.Start), 28, allMethods: true);

        Assert.Equal(fromClean.Mean, fromPoisoned.Mean);
        Assert.Equal(fromClean.Upper95, fromPoisoned.Upper95);
        Assert.Equal(fromClean.Method, fromPoisoned.Method);
        foreach (var (name, mean) in fromClean.MethodMeans!) Assert.Equal(mean, fromPoisoned.MethodMeans![name]);
        Assert.All(fromPoisoned.Mean, m => Assert.InRange(m, 0, 200));
    }

    [Fact]
    public void Pure_weekly_pattern_is_forecast_almost_exactly_with_narrow_intervals()
    {
        var history = Synthetic.Window(Synthetic.Weekly(600, Synthetic.Start));
        var forecast = Engine.Forecast(history, 28);

        var expected = Synthetic.Weekly(28, history.End);
        for (var h = 0; h < 28; h++) Assert.Equal(expected[h], forecast.Mean[h], 0.01 * expected[h]);
        Assert.Equal(history.End, forecast.Start);
        Assert.Equal(ForecastFlags.None, forecast.Flags);
        AssertIntervalsOrdered(forecast);
        Assert.True(forecast.Upper95[0] - forecast.Lower95[0] < 5, "a noiseless series has narrow intervals");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(365)]
    public void Any_horizon_is_backtested_and_forecast(int horizon)
    {
        var history = Synthetic.Window(Synthetic.Weekly(600, Synthetic.Start));
        var forecast = Engine.Forecast(history, horizon);

        Assert.Equal(ForecastFlags.None, forecast.Flags);
        Assert.Equal(horizon, forecast.Mean.Length);
        var expected = Synthetic.Weekly(horizon, history.End);
        for (var h = 0; h < horizon; h++) Assert.Equal(expected[h], forecast.Mean[h], 0.01 * expected[h]);
    }

    [Fact]
    public void Seasonal_demand_gets_a_yearly_model_and_sensible_intervals()
    {
        var start = new DateOnly(2014, 1, 1);
        var values = Synthetic.Seasonal(3 * 365, start, 40, seed: 8);
        var forecast = Engine.Forecast(new SeriesWindow(values, start), 60);

        Assert.Contains("Profile", forecast.Components[0].Model);
        Assert.InRange(forecast.BacktestRmsse!.Value, 0.3, 1.0);
        Assert.Equal(1.0, forecast.Components.Sum(c => c.Weight), 12);
        AssertIntervalsOrdered(forecast);
    }

    [Fact]
    public void Intermittent_series_are_forecast_by_the_croston_family()
    {
        string[] family = ["Croston", "SBA", "TSB"];
        for (var seed = 0; seed < 10; seed++)
        {
            var history = Synthetic.Window(Synthetic.Intermittent(500, 0.15, 2, seed));
            var forecast = Engine.Forecast(history, 28);

            Assert.True(forecast.Flags.HasFlag(ForecastFlags.Intermittent));
            Assert.All(forecast.Components, c => Assert.Contains(c.Model, family));
            Assert.InRange(forecast.Mean[0], 0.1, 0.6); // the rate is 0.3 a day
            AssertIntervalsOrdered(forecast);
            Assert.Equal(0, forecast.Lower80[0]);
            Assert.True(forecast.Upper95[0] >= 1, "a day with a sale stays inside the 95% interval");
        }
    }

    [Fact]
    public void All_zero_history_forecasts_zero_and_says_so()
    {
        var forecast = Engine.Forecast(Synthetic.Window(new double[90]), 14, allMethods: true);

        Assert.Equal(ForecastFlags.NoSales, forecast.Flags);
        Assert.All(forecast.Mean, m => Assert.Equal(0, m));
        Assert.All(forecast.Upper95, u => Assert.Equal(3.0 / 90, u, 12));
        Assert.NotNull(forecast.Note);
        Assert.All(forecast.MethodMeans!.Values, Assert.Null);
        AssertIntervalsOrdered(forecast);
    }

    [Fact]
    public void No_history_uses_the_prior_with_wide_intervals()
    {
        var empty = new SeriesWindow([], Synthetic.Start);

        var withPrior = Engine.Forecast(empty, 7, prior: 4);
        Assert.Equal(ForecastFlags.NoHistory, withPrior.Flags);
        Assert.All(withPrior.Mean, m => Assert.Equal(4, m));
        Assert.All(withPrior.Upper95, u => Assert.Equal(12, u));

        var withoutPrior = Engine.Forecast(empty, 7);
        Assert.All(withoutPrior.Mean, m => Assert.Equal(0, m));
        Assert.Contains("no prior", withoutPrior.Note);
    }

    [Fact]
    public void Short_history_gets_a_recent_mean_with_wide_intervals_and_a_flag()
    {
        double[] values = [0, 0, 5, 7, 6, 4, 8, 5, 6, 7, 5, 6];
        var forecast = Engine.Forecast(Synthetic.Window(values), 28);

        Assert.Equal(ForecastFlags.ShortHistory, forecast.Flags);
        Assert.Contains("10 days", forecast.Note);
        Assert.All(forecast.Mean, m => Assert.Equal(5.9, m, 9));
        Assert.True(forecast.Upper95[0] - forecast.Lower95[0] > 8, "wide intervals");
        AssertIntervalsOrdered(forecast);
    }

    [Fact]
    public void Forecasts_are_never_negative()
    {
        // A falling series that additive models would carry below zero.
        var values = Enumerable.Range(0, 300).Select(t => Math.Max(0, 60 - 0.2 * t) + (t % 7 == 0 ? 5 : 0)).ToArray();
        var forecast = Engine.Forecast(Synthetic.Window(values), 90, allMethods: true);

        Assert.All(forecast.Mean, m => Assert.True(m >= 0));
        foreach (var mean in forecast.MethodMeans!.Values.OfType<double[]>()) Assert.All(mean, m => Assert.True(m >= 0));
        AssertIntervalsOrdered(forecast);
    }

    [Fact]
    public void Near_ties_are_averaged_and_clear_winners_stand_alone()
    {
        var values = Synthetic.Seasonal(3 * 365, new DateOnly(2014, 1, 1), 40, seed: 2);
        var history = new SeriesWindow(values, new DateOnly(2014, 1, 1));

        var single = new ForecastEngine(options: ForecastOptions.Default with { CombineTop = 1 }).Forecast(history, 28);
        var everyone = new ForecastEngine(options: ForecastOptions.Default with { CombineTop = 20, CombineWithin = 100 }).Forecast(history, 28);

        Assert.Single(single.Components);
        Assert.True(everyone.Components.Count > 3);
        Assert.StartsWith("Combination(", everyone.Method);
        Assert.All(everyone.Components, c => Assert.Equal(1.0 / everyone.Components.Count, c.Weight, 12));
    }

    [Fact]
    public void Interval_multipliers_follow_skewed_backtest_errors()
    {
        // Mostly small negative errors with a long positive tail, as intermittent demand gives.
        var errors = Enumerable.Range(0, 200).Select(i => i % 10 == 0 ? 4.0 : -0.4).ToArray();
        var m = ForecastEngine.IntervalMultipliers(errors);

        Assert.True(m[0] <= m[1] && m[1] <= 0 && 0 <= m[2] && m[2] <= m[3]);
        Assert.True(m[3] > -m[0], "the upper side is wider");
    }
}
