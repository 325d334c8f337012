namespace ForecastWorker.Forecasting.Models;

/// <summary>Weekly seasonal naive: each day ahead repeats the same weekday of the last week. The benchmark.</summary>
public sealed class SeasonalNaiveModel : IForecastModel
{
    public const string ModelName = "SeasonalNaive";
    private const int Season = 7;

    public string Name => ModelName;
    public int MinHistory => Season;
    public DemandKinds Kinds => DemandKinds.Smooth;

    public IFittedModel? Fit(SeriesWindow history) => history.Length >= Season ? Fitted.Instance : null;

    private sealed class Fitted : IFittedModel
    {
        public static readonly Fitted Instance = new();

        public PointForecast Forecast(SeriesWindow history, int horizon)
        {
            var y = history.Values;
            var n = y.Length;
            var mean = new double[horizon];
            for (var h = 0; h < horizon; h++) mean[h] = y[n - Season + h % Season];

            // Spread of the seasonal differences over the last year; grows with each week repeated.
            var sumSq = 0.0;
            var count = 0;
            for (var t = Math.Max(Season, n - ModelMath.ResidualDays); t < n; t++)
            {
                var e = y[t] - y[t - Season];
                sumSq += e * e;
                count++;
            }
            var sigma = count > 0 ? ModelMath.Rms(sumSq, count) : Math.Sqrt(2) * StandardDeviation(y);
            var spread = new double[horizon];
            for (var h = 0; h < horizon; h++) spread[h] = sigma * Math.Sqrt(h / Season + 1);
            return new PointForecast(mean, spread);
        }

        private static double StandardDeviation(ReadOnlySpan<double> y)
        {
            var mean = ModelMath.Mean(y);
            var sum = 0.0;
            foreach (var v in y) sum += (v - mean) * (v - mean);
            return y.Length > 1 ? Math.Sqrt(sum / (y.Length - 1)) : Math.Max(mean, 1);
        }
    }
}
