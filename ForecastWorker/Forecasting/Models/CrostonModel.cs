namespace ForecastWorker.Forecasting.Models;

/// <summary>The intermittent-demand variants of Croston's method.</summary>
public enum CrostonVariant
{
    /// <summary>Croston (1972): smoothed demand size over smoothed interval between demands.</summary>
    Classic,

    /// <summary>Syntetos–Boylan approximation: Croston times (1 - alpha/2), which removes Croston's upward bias.</summary>
    Sba,
}

/// <summary>
/// Croston's method and the Syntetos–Boylan approximation for intermittent demand: a flat forecast of
/// the demand rate. Size and interval are smoothed with one weight, chosen from a grid by the in-sample
/// one-step squared error over the last two years.
/// </summary>
public sealed class CrostonModel(CrostonVariant variant) : IForecastModel
{
    private const int FitDays = 728;
    private static readonly double[] Alphas = [0.02, 0.05, 0.1, 0.15, 0.2, 0.3];

    public CrostonVariant Variant { get; } = variant;
    public string Name => Variant == CrostonVariant.Classic ? "Croston" : "SBA";
    public int MinHistory => 7;
    public DemandKinds Kinds => DemandKinds.Intermittent;

    public IFittedModel? Fit(SeriesWindow history)
    {
        if (history.Length < MinHistory) return null;
        var y = history.TakeLast(FitDays).Values;
        var best = double.MaxValue;
        var bestAlpha = 0.1;
        foreach (var alpha in Alphas)
        {
            var sse = Run(y, alpha, Variant, out _, out _);
            if (sse < best) { best = sse; bestAlpha = alpha; }
        }
        return double.IsFinite(best) && best < double.MaxValue ? new Fitted(bestAlpha, Variant) : null;
    }

    /// <summary>Runs the method; returns the one-step SSE from the first demand on (MaxValue without demand).</summary>
    internal static double Run(ReadOnlySpan<double> y, double alpha, CrostonVariant variant, out double rate, out double sigma)
    {
        var n = y.Length;
        var correction = variant == CrostonVariant.Sba ? 1 - alpha / 2 : 1;
        var first = -1;
        for (var t = 0; t < n; t++)
        {
            if (y[t] > 0) { first = t; break; }
        }
        rate = 0;
        sigma = 0;
        if (first < 0) return double.MaxValue;

        // Start: the first demand's size and the mean interval over the whole stretch.
        var demands = 0;
        for (var t = first; t < n; t++) if (y[t] > 0) demands++;
        var size = y[first];
        var interval = Math.Max(1.0, (double)(n - first) / demands);
        var sinceLast = 0;
        var sse = 0.0;
        var recentSq = 0.0;
        var recentCount = 0;
        var recentFrom = n - ModelMath.ResidualDays;
        for (var t = first + 1; t < n; t++)
        {
            var forecast = correction * size / interval;
            var e = y[t] - forecast;
            sse += e * e;
            if (t >= recentFrom) { recentSq += e * e; recentCount++; }
            sinceLast++;
            if (y[t] > 0)
            {
                size += alpha * (y[t] - size);
                interval += alpha * (sinceLast - interval);
                sinceLast = 0;
            }
        }
        rate = correction * size / interval;
        sigma = ModelMath.Rms(recentSq, recentCount);
        return sse;
    }

    private sealed class Fitted(double alpha, CrostonVariant variant) : IFittedModel
    {
        public PointForecast Forecast(SeriesWindow history, int horizon)
        {
            Run(history.TakeLast(FitDays).Values, alpha, variant, out var rate, out var sigma);
            var mean = new double[horizon];
            Array.Fill(mean, rate);
            return new PointForecast(mean, ModelMath.LevelSigma(sigma, alpha, horizon));
        }
    }
}
