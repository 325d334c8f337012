namespace ForecastWorker.Forecasting.Models;

/// <summary>
/// The Theta method (Assimakopoulos and Nikolopoulos), in its equivalent form of simple exponential
/// smoothing with a drift of half the linear-regression slope (Hyndman and Billah), on a series made
/// weekly-neutral by multiplicative weekday indices when a weekly season is significant.
/// </summary>
public sealed class ThetaModel : IForecastModel
{
    private const int FitDays = 728;
    private const double ClosedDay = 1e-6;

    public string Name => "Theta";
    public int MinHistory => 28;
    public DemandKinds Kinds => DemandKinds.Smooth;

    public IFittedModel? Fit(SeriesWindow history)
    {
        if (history.Length < MinHistory) return null;
        var window = history.TakeLast(FitDays);
        var adjusted = Deseasonalise(window, out _);
        var alpha = Optimizer.GoldenSection(a => SimpleExponentialSmoothingModel.Run(adjusted, a, out _, out _), 0.001, 0.999, 1e-3);
        return new Fitted(alpha);
    }

    private static double[] Deseasonalise(SeriesWindow window, out double[] index)
    {
        var y = window.Values;
        index = HasWeeklySeason(y) ? ModelMath.WeeklyIndices(window) : [1, 1, 1, 1, 1, 1, 1];
        var z = new double[y.Length];
        for (var t = 0; t < y.Length; t++)
        {
            // A weekday without sales (a shop closed on Sundays) says nothing about the level: left out (NaN).
            var s = index[window.DayOfWeek(t)];
            z[t] = s > ClosedDay ? y[t] / s : double.NaN;
        }
        return z;
    }

    /// <summary>The autocorrelation at lag 7 is significant at 90% (the test of the original method).</summary>
    internal static bool HasWeeklySeason(ReadOnlySpan<double> y)
    {
        var n = y.Length;
        if (n < 21) return false;
        var mean = ModelMath.Mean(y);
        var denominator = 0.0;
        foreach (var v in y) denominator += (v - mean) * (v - mean);
        if (denominator <= 0) return false;
        Span<double> r = stackalloc double[8];
        for (var lag = 1; lag <= 7; lag++)
        {
            var sum = 0.0;
            for (var t = lag; t < n; t++) sum += (y[t] - mean) * (y[t - lag] - mean);
            r[lag] = sum / denominator;
        }
        var sumSquares = 0.0;
        for (var lag = 1; lag < 7; lag++) sumSquares += r[lag] * r[lag];
        return Math.Abs(r[7]) > 1.645 * Math.Sqrt((1 + 2 * sumSquares) / n);
    }

    private sealed class Fitted(double alpha) : IFittedModel
    {
        public PointForecast Forecast(SeriesWindow history, int horizon)
        {
            var window = history.TakeLast(FitDays);
            var z = Deseasonalise(window, out var index);
            var n = z.Length;

            // Slope of the least-squares line through the adjusted series.
            double st = 0, sz = 0, count = 0;
            for (var t = 0; t < n; t++)
            {
                if (double.IsNaN(z[t])) continue;
                st += t;
                sz += z[t];
                count++;
            }
            double sxy = 0, sxx = 0;
            for (var t = 0; t < n; t++)
            {
                if (double.IsNaN(z[t])) continue;
                sxy += (t - st / count) * (z[t] - sz / count);
                sxx += (t - st / count) * (t - st / count);
            }
            var slope = sxx > 0 ? sxy / sxx : 0;

            // SES on the adjusted series; residuals measured on the original scale.
            var y = window.Values;
            var level = SimpleExponentialSmoothingModel.InitialLevel(z);
            double recentSq = 0;
            var recentCount = 0;
            for (var t = 0; t < n; t++)
            {
                if (t >= n - ModelMath.ResidualDays)
                {
                    var e = y[t] - level * index[window.DayOfWeek(t)];
                    recentSq += e * e;
                    recentCount++;
                }
                if (!double.IsNaN(z[t])) level += alpha * (z[t] - level);
            }

            var mean = new double[horizon];
            var tail = (1 - Math.Pow(1 - alpha, n)) / alpha;
            for (var h = 0; h < horizon; h++)
            {
                var drift = slope / 2 * (h + tail);
                mean[h] = (level + drift) * index[window.DayOfWeek(n + h)];
            }
            return new PointForecast(mean, ModelMath.LevelSigma(ModelMath.Rms(recentSq, recentCount), alpha, horizon));
        }
    }
}
