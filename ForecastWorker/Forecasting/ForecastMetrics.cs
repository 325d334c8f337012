namespace ForecastWorker.Forecasting;

/// <summary>
/// Accuracy measures of a forecast against what happened. The scaled measures divide by an in-sample
/// error of a naive method, computed on the history before the forecast origin from the first day with a
/// sale; they are NaN when that scale is undefined or zero (no sale yet, one day, or a constant series).
/// </summary>
public static class ForecastMetrics
{
    public const int WeeklySeason = 7;

    /// <summary>RMSSE (M5): RMSE over the horizon / RMS of the in-sample one-step naive errors.</summary>
    public static double Rmsse(ReadOnlySpan<double> history, ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast)
    {
        var scale = NaiveRmsScale(history);
        return scale > 0 ? Rmse(actual, forecast) / scale : double.NaN;
    }

    /// <summary>MASE: MAE over the horizon / in-sample MAE of the weekly seasonal naive method.</summary>
    public static double Mase(ReadOnlySpan<double> history, ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast)
    {
        var scale = SeasonalNaiveMaeScale(history, WeeklySeason);
        return scale > 0 ? Mae(actual, forecast) / scale : double.NaN;
    }

    /// <summary>sqrt(mean((y[t] - y[t-1])^2)) from the first sale on; NaN with fewer than two days.</summary>
    public static double NaiveRmsScale(ReadOnlySpan<double> history)
    {
        var y = FromFirstSale(history);
        if (y.Length < 2) return double.NaN;
        var sum = 0.0;
        for (var t = 1; t < y.Length; t++) sum += (y[t] - y[t - 1]) * (y[t] - y[t - 1]);
        return Math.Sqrt(sum / (y.Length - 1));
    }

    /// <summary>mean(|y[t] - y[t-season]|) from the first sale on; NaN with no full season before a day.</summary>
    public static double SeasonalNaiveMaeScale(ReadOnlySpan<double> history, int season = WeeklySeason)
    {
        var y = FromFirstSale(history);
        if (y.Length <= season) return double.NaN;
        var sum = 0.0;
        for (var t = season; t < y.Length; t++) sum += Math.Abs(y[t] - y[t - season]);
        return sum / (y.Length - season);
    }

    public static double Rmse(ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast)
    {
        CheckLengths(actual, forecast);
        var sum = 0.0;
        for (var i = 0; i < actual.Length; i++) sum += (actual[i] - forecast[i]) * (actual[i] - forecast[i]);
        return Math.Sqrt(sum / actual.Length);
    }

    public static double Mae(ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast)
    {
        CheckLengths(actual, forecast);
        var sum = 0.0;
        for (var i = 0; i < actual.Length; i++) sum += Math.Abs(actual[i] - forecast[i]);
        return sum / actual.Length;
    }

    /// <summary>The history from its first day with a sale (empty when there is none).</summary>
    public static ReadOnlySpan<double> FromFirstSale(ReadOnlySpan<double> history)
    {
        for (var t = 0; t < history.Length; t++)
        {
            if (history[t] > 0) return history[t..];
        }
        return [];
    }

    private static void CheckLengths(ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast)
    {
        if (actual.Length != forecast.Length || actual.IsEmpty)
        {
            throw new ArgumentException("Actual and forecast must be non-empty and of the same length.");
        }
    }
}
