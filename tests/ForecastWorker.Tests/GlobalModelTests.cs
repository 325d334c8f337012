using ForecastWorker.Backtest;
using ForecastWorker.Forecasting;
using ForecastWorker.Forecasting.Global;

namespace ForecastWorker.Tests;

public class GlobalModelTests
{
    private static readonly DateOnly Start = new(2015, 1, 1);

    /// <summary>Small and quick: a few series, few examples and trees.</summary>
    private static readonly GlobalModel Model = new(GlobalModelOptions.Default with { MaxTrainingRows = 12_000, Iterations = 60 });

    /// <summary>Store-item-shaped series (level x weekday x month, Poisson noise) of different sizes.</summary>
    private static double[][] Family(int count, int days) =>
        Enumerable.Range(0, count).Select(i => Synthetic.Seasonal(days, Start, 8 + 6 * i, seed: 40 + i)).ToArray();

    private static GlobalSeries[] AsGlobal(double[][] values, int length) =>
        values.Select((v, i) => new GlobalSeries(new SeriesWindow(v, 0, length, Start), ["s" + (i % 3), "i" + i])).ToArray();

    [Fact]
    public void Learns_the_shared_shape_and_forecasts_every_series_close_to_what_happens()
    {
        const int days = 900, horizon = 28;
        var values = Family(12, days + horizon);
        var end = Start.AddDays(days);

        var (forecasts, info) = Model.Forecast(AsGlobal(values, days), end, horizon, innerOrigins: 4);

        Assert.Equal("LightGBM", info.Trainer);
        Assert.True(info.TrainingRows > 1000);
        for (var i = 0; i < values.Length; i++)
        {
            var f = forecasts[i]!;
            Assert.Equal(end, f.Origin);
            Assert.Equal(end.AddDays(-4 * horizon), f.TrainedBefore);
            Assert.Equal(4, f.Inner.Count);
            var actual = values[i][days..];
            // Within 5% plus three Poisson standard deviations of the 28-day total.
            var total = actual.Sum();
            var error = Math.Abs(f.Final!.Mean.Sum() - total);
            Assert.True(error < 0.05 * total + 3 * Math.Sqrt(total), $"series {i}: the 28-day total {total} is off by {error:F0}");
            Assert.All(f.Final.Sigma, s => Assert.True(s > 0 && double.IsFinite(s)));
        }
    }

    [Fact]
    public void Never_reads_a_day_on_or_after_the_cut_it_was_trained_before()
    {
        const int days = 800, horizon = 14;
        var clean = Family(6, days);
        var end = Start.AddDays(days);
        var earliest = end.AddDays(-4 * horizon);
        // The same series with every day from the earliest inner origin on poisoned, and with a poisoned future.
        var poisoned = clean.Select(v => v.Select((x, t) => t >= days - 4 * horizon ? 1e6 : x).Concat(Enumerable.Repeat(1e9, 30)).ToArray()).ToArray();
        var withFuture = clean.Select(v => v.Concat(Enumerable.Repeat(1e9, 30)).ToArray()).ToArray();

        var (fromClean, _) = Model.Forecast(AsGlobal(clean, days), end, horizon, 4);
        var (fromPoisoned, _) = Model.Forecast(AsGlobal(poisoned, days + 30), end, horizon, 4);
        var (fromFuture, _) = Model.Forecast(AsGlobal(withFuture, days + 30), end, horizon, 4);

        for (var i = 0; i < clean.Length; i++)
        {
            // From the earliest inner origin nothing after the cut is known: the forecasts are the same to the bit.
            Assert.Equal(fromClean[i]!.Inner[earliest].Mean, fromPoisoned[i]!.Inner[earliest].Mean);
            Assert.Equal(fromClean[i]!.Final!.Mean, fromFuture[i]!.Final!.Mean);
            Assert.Equal(fromClean[i]!.Final!.Sigma, fromFuture[i]!.Final!.Sigma);
        }
    }

    [Fact]
    public void Engine_refuses_global_forecasts_that_could_have_seen_its_inner_test_windows()
    {
        var values = Synthetic.Seasonal(600, Start, 30, seed: 8);
        var history = new SeriesWindow(values, Start);
        var flat = new PointForecast(Enumerable.Repeat(30.0, 28).ToArray(), Enumerable.Repeat(5.0, 28).ToArray());
        var inner = Enumerable.Range(1, 4).ToDictionary(j => history.End.AddDays(-28 * j), _ => flat);

        var trainedTooLate = new GlobalSeriesForecast(history.End.AddDays(-28), history.End, inner, flat);
        var otherOrigin = new GlobalSeriesForecast(history.End.AddDays(-112), history.End.AddDays(1), inner, flat);

        Assert.Throws<ArgumentException>(() => new ForecastEngine().Forecast(history, 28, global: trainedTooLate));
        Assert.Throws<ArgumentException>(() => new ForecastEngine().Forecast(history, 28, global: otherOrigin));
    }

    [Fact]
    public void Joins_the_inner_backtest_and_wins_alone_when_clearly_best_or_in_a_blend()
    {
        var values = Synthetic.Seasonal(700, Start, 30, seed: 9);
        var history = new SeriesWindow(values, 0, 672, Start);
        // A global forecast that knew every inner test window: nothing in the pool comes near it.
        var inner = Enumerable.Range(1, 4).ToDictionary(
            j => history.End.AddDays(-28 * j),
            j => new PointForecast(values.AsSpan(672 - 28 * j, 28).ToArray(), Enumerable.Repeat(3.0, 28).ToArray()));
        var final = new PointForecast(Enumerable.Repeat(31.0, 28).ToArray(), Enumerable.Repeat(3.0, 28).ToArray());
        var global = new GlobalSeriesForecast(history.End.AddDays(-112), history.End, inner, final);

        var forecast = new ForecastEngine().Forecast(history, 28, allMethods: true, global: global);

        Assert.Equal(GlobalModel.ModelName, forecast.Method);
        Assert.Equal(final.Mean, forecast.Mean);
        Assert.Equal(0, forecast.BacktestRmsse!.Value, 12);
        Assert.NotNull(forecast.MethodMeans![GlobalModel.BlendName]);

        // A global forecast as good as the best pool model at every inner origin: the near-tie rule averages them.
        var plain = new ForecastEngine().Forecast(history, 28, allMethods: true);
        var best = plain.Components[0].Model;
        var copy = new ForecastEngine([.. ForecastEngine.DefaultPool().Where(m => m.Name == best)]);
        var tie = copy.Forecast(history, 28, global: global with
        {
            Inner = inner.ToDictionary(kv => kv.Key, kv => InnerOf(copy, history, kv.Key)),
        });
        Assert.Contains(tie.Components, c => c.Model == GlobalModel.ModelName);
        Assert.Contains(tie.Components, c => c.Model == GlobalModel.BlendName);
        Assert.StartsWith("Combination(", tie.Method);
    }

    /// <summary>The pool's only model's forecast from an inner origin, fitted as the engine fits it (before the earliest origin).</summary>
    private static PointForecast InnerOf(ForecastEngine engine, SeriesWindow history, DateOnly origin)
    {
        var model = engine.Pool[0];
        var fitted = model.Fit(history.Take(history.Length - 112))!;
        return fitted.Forecast(history.Take(origin.DayNumber - history.Start.DayNumber), 28);
    }

    [Fact]
    public void Backtest_with_the_global_model_never_sees_the_test_window()
    {
        // Poisoned test windows on every series: forecasts made without them are far below, so every bias is near -100%.
        // Two intermittent series among them: the global model is not offered to those.
        var series = Family(8, 700).Concat([Synthetic.Intermittent(700, 0.1, 2, seed: 1), Synthetic.Intermittent(700, 0.2, 1, seed: 2)]).Select((v, i) =>
        {
            for (var t = 700 - 28; t < 700; t++) v[t] = 1e7;
            return new NamedSeries($"s{i}", new SeriesWindow(v, Start), ["1", i.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }).ToArray();

        var report = new Backtester(new ForecastEngine(), Model).Run(series, new BacktestSettings(28, 1, 28));

        Assert.Contains(report.Methods, m => m.Name == GlobalModel.ModelName);
        Assert.Contains(report.Methods, m => m.Name == GlobalModel.BlendName);
        Assert.True(report.Auto.Bias < -0.999, $"bias {report.Auto.Bias}");
        Assert.All(report.Methods, m => Assert.True(m.Bias < -0.999, $"{m.Name} bias {m.Bias}"));
        Assert.Equal(2, report.Methods.Single(m => m.Name == GlobalModel.ModelName).Fallbacks);
        Assert.Equal(2, report.Methods.Single(m => m.Name == GlobalModel.BlendName).Fallbacks);
        Assert.Contains(report.Flags, f => f.Key == ForecastFlags.Intermittent && f.Value == 2);
    }
}
