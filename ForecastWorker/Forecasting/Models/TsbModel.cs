namespace ForecastWorker.Forecasting.Models;

/// <summary>
/// Teunter–Syntetos–Babai: smooths the probability of a demand every day (so a run of zero days lowers the
/// forecast, unlike Croston, which suits items that are dying out) and the demand size on demand days.
/// The forecast is probability x size. Weights from a grid, by in-sample one-step squared error.
/// </summary>
public sealed class TsbModel : IForecastModel
{
    private const int FitDays = 728;
    private static readonly double[] SizeWeights = [0.02, 0.05, 0.1, 0.2, 0.3];
    private static readonly double[] ProbabilityWeights = [0.01, 0.02, 0.05, 0.1, 0.2];

    public string Name => "TSB";
    public int MinHistory => 7;
    public DemandKinds Kinds => DemandKinds.Intermittent;

    public IFittedModel? Fit(SeriesWindow history)
    {
        if (history.Length < MinHistory) return null;
        var y = history.TakeLast(FitDays).Values;
        var best = double.MaxValue;
        (double Alpha, double Beta) chosen = (0.1, 0.05);
        foreach (var alpha in SizeWeights)
        {
            foreach (var beta in ProbabilityWeights)
            {
                var sse = Run(y, alpha, beta, out _, out _);
                if (sse < best) { best = sse; chosen = (alpha, beta); }
            }
        }
        return best < double.MaxValue ? new Fitted(chosen.Alpha, chosen.Beta) : null;
    }

    internal static double Run(ReadOnlySpan<double> y, double alpha, double beta, out double rate, out double sigma)
    {
        var n = y.Length;
        var demands = 0;
        var sizeSum = 0.0;
        var warmup = Math.Min(n, 28);
        for (var t = 0; t < warmup; t++)
        {
            if (y[t] > 0) { demands++; sizeSum += y[t]; }
        }
        if (demands == 0)
        {
            for (var t = warmup; t < n && demands == 0; t++)
            {
                if (y[t] > 0) { demands = 1; sizeSum = y[t]; }
            }
            if (demands == 0) { rate = 0; sigma = 0; return double.MaxValue; }
        }
        var probability = Math.Max((double)demands / warmup, 0.01);
        var size = sizeSum / demands;

        var sse = 0.0;
        var recentSq = 0.0;
        var recentCount = 0;
        var recentFrom = n - ModelMath.ResidualDays;
        for (var t = 0; t < n; t++)
        {
            var e = y[t] - probability * size;
            sse += e * e;
            if (t >= recentFrom) { recentSq += e * e; recentCount++; }
            if (y[t] > 0)
            {
                probability += beta * (1 - probability);
                size += alpha * (y[t] - size);
            }
            else
            {
                probability -= beta * probability;
            }
        }
        rate = probability * size;
        sigma = ModelMath.Rms(recentSq, recentCount);
        return sse;
    }

    private sealed class Fitted(double alpha, double beta) : IFittedModel
    {
        public PointForecast Forecast(SeriesWindow history, int horizon)
        {
            Run(history.TakeLast(FitDays).Values, alpha, beta, out var rate, out var sigma);
            var mean = new double[horizon];
            Array.Fill(mean, rate);
            return new PointForecast(mean, ModelMath.LevelSigma(sigma, beta, horizon));
        }
    }
}
