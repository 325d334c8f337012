using System.Diagnostics;
using ForecastWorker.Forecasting;
using ForecastWorker.Forecasting.Global;
using ForecastWorker.Forecasting.Models;

namespace ForecastWorker.Backtest;

/// <summary>A named daily series (the key columns' values, joined), and the key columns' values one by one.</summary>
public sealed record NamedSeries(string Key, SeriesWindow Series, IReadOnlyList<string>? KeyValues = null);

/// <summary>
/// Rolling-origin settings. With E the day after the last day of the data, origin k (k = 1..Origins)
/// tests the <see cref="Horizon"/> days [E - (k-1)*Step - Horizon, E - (k-1)*Step): origin 1's test window
/// ends on the last day, each earlier origin <see cref="Step"/> days before. Every forecast sees only the
/// days before its test window (expanding window).
/// </summary>
public sealed record BacktestSettings(int Horizon, int Origins, int Step)
{
    public DateOnly TestStart(DateOnly end, int k) => end.AddDays(-((k - 1) * Step) - Horizon);
}

/// <summary>Accuracy of one method over all series and origins.</summary>
/// <param name="Rmsse">Mean over series and origins of RMSSE (RMSE / in-sample one-step naive RMSE).</param>
/// <param name="Mase">Mean over series and origins of MASE (MAE / in-sample weekly seasonal naive MAE).</param>
/// <param name="Wape">Sum of absolute errors / sum of actuals, over everything.</param>
/// <param name="Bias">Sum of (forecast - actual) / sum of actuals: above zero is over-forecasting.</param>
/// <param name="BeatsSeasonalNaive">Share of series whose mean RMSSE over the origins is below the seasonal naive's.</param>
/// <param name="Fallbacks">Forecasts where the method did not apply and the automatic forecast stood in.</param>
/// <param name="Coverage80">Share of actuals inside the 80% interval (automatic choice only).</param>
public sealed record MethodScore(
    string Name, double Rmsse, double Mase, double Wape, double Bias, double BeatsSeasonalNaive, int Fallbacks,
    double? Coverage80 = null, double? Coverage95 = null);

public sealed record BacktestReport(
    int Series, BacktestSettings Settings, DateOnly FirstTestDay, DateOnly LastTestDay, int ScoredForecasts,
    MethodScore Auto, IReadOnlyList<MethodScore> Methods, IReadOnlyList<KeyValuePair<string, int>> Choices,
    IReadOnlyList<KeyValuePair<ForecastFlags, int>> Flags, TimeSpan Elapsed)
{
    /// <summary>The global model's trainings, one per origin (none without it).</summary>
    public IReadOnlyList<GlobalRunInfo> GlobalRuns { get; init; } = [];
}

/// <summary>
/// Runs the engine at every origin of every series (in parallel over series) and scores it. With a
/// <see cref="GlobalModel"/>, it is trained at each origin on the days before it, over all series, and joins
/// each series' inner backtest.
/// </summary>
public sealed class Backtester(ForecastEngine engine, GlobalModel? global = null)
{
    public const string AutoName = "auto";

    public BacktestReport Run(IReadOnlyList<NamedSeries> series, BacktestSettings settings)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Horizon, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Origins, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Step, 1);
        if (series.Count == 0) throw new ArgumentException("No series to backtest.", nameof(series));

        var watch = Stopwatch.StartNew();
        var end = series.Max(s => s.Series.End);
        if (settings.TestStart(end, settings.Origins) <= series.Min(s => s.Series.Start))
        {
            throw new ArgumentException("The earliest test window starts on or before the first day of the data: no origin would have a history.", nameof(settings));
        }
        var names = engine.Pool.Select(m => m.Name).Concat(global is null ? [] : ForecastEngine.GlobalNames).ToArray();
        var methodCount = names.Length + 1; // index 0: auto
        var naiveIndex = Array.IndexOf(names, SeasonalNaiveModel.ModelName) + 1;
        var scores = new Score[series.Count, settings.Origins, methodCount];
        var choices = new string[series.Count, settings.Origins];
        var flags = new ForecastFlags[series.Count, settings.Origins];

        var globalRuns = new List<GlobalRunInfo>();
        // Every series runs to the common end (the CSV reader fills days without rows with zero).
        for (var k = 1; k <= settings.Origins; k++)
        {
            var testStart = settings.TestStart(end, k);
            var histories = series.Select(named =>
            {
                var s = named.Series;
                var cut = testStart.DayNumber - s.Start.DayNumber;
                return cut > 0 ? s.Take(Math.Min(cut, s.Length)) : new SeriesWindow([], testStart);
            }).ToArray();
            GlobalSeriesForecast?[]? globals = null;
            var smooth = Enumerable.Range(0, series.Count).Where(i => engine.OffersGlobalModel(histories[i])).ToArray();
            if (global is not null && smooth.Length > 0)
            {
                var (forecasts, info) = global.Forecast(
                    smooth.Select(i => new GlobalSeries(histories[i], series[i].KeyValues ?? [])).ToArray(), testStart, settings.Horizon, engine.Options.InnerOrigins);
                globals = new GlobalSeriesForecast?[series.Count];
                for (var j = 0; j < smooth.Length; j++) globals[smooth[j]] = forecasts[j];
                globalRuns.Add(info);
            }
            Parallel.For(0, series.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
            {
                var s = series[i].Series;
                var history = histories[i];
                var actual = Actuals(s, testStart, settings.Horizon);
                var forecast = engine.Forecast(history, settings.Horizon, allMethods: true, global: globals?[i]);
                choices[i, k - 1] = forecast.Components.Count > 0 ? forecast.Components[0].Model : forecast.Method;
                flags[i, k - 1] = forecast.Flags;
                var past = history.Values;
                scores[i, k - 1, 0] = Score.Of(past, actual, forecast.Mean, forecast, fallback: false);
                for (var m = 0; m < names.Length; m++)
                {
                    var own = forecast.MethodMeans!.GetValueOrDefault(names[m]);
                    scores[i, k - 1, m + 1] = Score.Of(past, actual, own ?? forecast.Mean, null, fallback: own is null);
                }
            });
        }

        var auto = Summarise(AutoName, scores, 0, naiveIndex, withCoverage: true);
        var methods = names.Select((name, m) => Summarise(name, scores, m + 1, naiveIndex, withCoverage: false)).ToArray();
        var choiceCounts = choices.Cast<string>().GroupBy(c => c).Select(g => KeyValuePair.Create(g.Key, g.Count()))
            .OrderByDescending(kv => kv.Value).ToArray();
        var flagCounts = Enum.GetValues<ForecastFlags>().Where(f => f != ForecastFlags.None)
            .Select(f => KeyValuePair.Create(f, flags.Cast<ForecastFlags>().Count(x => x.HasFlag(f))))
            .Where(kv => kv.Value > 0).ToArray();
        return new BacktestReport(
            series.Count, settings, settings.TestStart(end, settings.Origins), end.AddDays(-1),
            series.Count * settings.Origins, auto, methods, choiceCounts, flagCounts, watch.Elapsed)
        {
            GlobalRuns = globalRuns,
        };
    }

    /// <summary>The test window's actual values (zero for days past the series' end).</summary>
    private static double[] Actuals(SeriesWindow s, DateOnly testStart, int horizon)
    {
        var actual = new double[horizon];
        var offset = testStart.DayNumber - s.Start.DayNumber;
        for (var h = 0; h < horizon; h++)
        {
            var t = offset + h;
            actual[h] = t >= 0 && t < s.Length ? s[t] : 0;
        }
        return actual;
    }

    private static MethodScore Summarise(string name, Score[,,] scores, int m, int naiveIndex, bool withCoverage)
    {
        int seriesCount = scores.GetLength(0), origins = scores.GetLength(1);
        double rmsseSum = 0, maseSum = 0, absError = 0, error = 0, actual = 0, in80 = 0, in95 = 0, points = 0;
        int rmsseCount = 0, maseCount = 0, beats = 0, compared = 0, fallbacks = 0;
        for (var i = 0; i < seriesCount; i++)
        {
            double own = 0, naive = 0;
            var counted = 0;
            for (var k = 0; k < origins; k++)
            {
                var s = scores[i, k, m];
                if (double.IsFinite(s.Rmsse)) { rmsseSum += s.Rmsse; rmsseCount++; }
                if (double.IsFinite(s.Mase)) { maseSum += s.Mase; maseCount++; }
                absError += s.AbsError;
                error += s.Error;
                actual += s.Actual;
                in80 += s.Inside80;
                in95 += s.Inside95;
                points += s.Points;
                if (s.Fallback) fallbacks++;
                if (naiveIndex > 0 && double.IsFinite(s.Rmsse) && double.IsFinite(scores[i, k, naiveIndex].Rmsse))
                {
                    own += s.Rmsse;
                    naive += scores[i, k, naiveIndex].Rmsse;
                    counted++;
                }
            }
            if (counted > 0)
            {
                compared++;
                if (own < naive) beats++;
            }
        }
        return new MethodScore(
            name,
            rmsseCount > 0 ? rmsseSum / rmsseCount : double.NaN,
            maseCount > 0 ? maseSum / maseCount : double.NaN,
            actual > 0 ? absError / actual : double.NaN,
            actual > 0 ? error / actual : double.NaN,
            compared > 0 ? (double)beats / compared : double.NaN,
            fallbacks,
            withCoverage && points > 0 ? in80 / points : null,
            withCoverage && points > 0 ? in95 / points : null);
    }

    private readonly record struct Score(
        double Rmsse, double Mase, double AbsError, double Error, double Actual,
        int Inside80, int Inside95, int Points, bool Fallback)
    {
        public static Score Of(ReadOnlySpan<double> history, double[] actual, double[] mean, SeriesForecast? intervals, bool fallback)
        {
            double absError = 0, error = 0, total = 0;
            int inside80 = 0, inside95 = 0;
            for (var h = 0; h < actual.Length; h++)
            {
                absError += Math.Abs(mean[h] - actual[h]);
                error += mean[h] - actual[h];
                total += actual[h];
                if (intervals is null) continue;
                if (actual[h] >= intervals.Lower80[h] && actual[h] <= intervals.Upper80[h]) inside80++;
                if (actual[h] >= intervals.Lower95[h] && actual[h] <= intervals.Upper95[h]) inside95++;
            }
            return new Score(
                ForecastMetrics.Rmsse(history, actual, mean), ForecastMetrics.Mase(history, actual, mean),
                absError, error, total, inside80, inside95, intervals is null ? 0 : actual.Length, fallback);
        }
    }
}
