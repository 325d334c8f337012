namespace ForecastWorker.Forecasting.Models;

/// <summary>
/// Simple exponential smoothing (ETS(A,N,N)): a flat forecast at the smoothed level. The smoothing
/// weight alpha minimises the in-sample one-step squared error over the last two years.
/// </summary>
public sealed class SimpleExponentialSmoothingModel : IForecastModel
{
    private const int FitDays = 728;

    public string Name => "SES";
    public int MinHistory => 7;
    public DemandKinds Kinds => DemandKinds.Smooth;

    public IFittedModel? Fit(SeriesWindow history)
    {
        if (history.Length < MinHistory) return null;
        var y = history.TakeLast(FitDays);
        var alpha = Optimizer.GoldenSection(a => Run(y.Values, a, out _, out _), 0.001, 0.999, 1e-3);
        return new Fitted(alpha);
    }

    /// <summary>Runs the smoother; returns the sum of squared one-step errors. NaN values are skipped (no observation).</summary>
    internal static double Run(ReadOnlySpan<double> y, double alpha, out double level, out double sigma)
    {
        var n = y.Length;
        level = InitialLevel(y);
        var sse = 0.0;
        var recentSq = 0.0;
        var recentCount = 0;
        var recentFrom = n - ModelMath.ResidualDays;
        for (var t = 0; t < n; t++)
        {
            if (double.IsNaN(y[t])) continue;
            var e = y[t] - level;
            sse += e * e;
            if (t >= recentFrom) { recentSq += e * e; recentCount++; }
            level += alpha * e;
        }
        sigma = ModelMath.Rms(recentSq, recentCount);
        return sse;
    }

    /// <summary>The mean of the first week's observed values.</summary>
    internal static double InitialLevel(ReadOnlySpan<double> y)
    {
        double sum = 0;
        var count = 0;
        for (var t = 0; t < Math.Min(7, y.Length); t++)
        {
            if (double.IsNaN(y[t])) continue;
            sum += y[t];
            count++;
        }
        return count > 0 ? sum / count : 0;
    }

    private sealed class Fitted(double alpha) : IFittedModel
    {
        public PointForecast Forecast(SeriesWindow history, int horizon)
        {
            Run(history.TakeLast(FitDays).Values, alpha, out var level, out var sigma);
            var mean = new double[horizon];
            Array.Fill(mean, level);
            return new PointForecast(mean, ModelMath.LevelSigma(sigma, alpha, horizon));
        }
    }
}
