namespace ForecastWorker.Forecasting;

/// <summary>Small helpers shared by the models.</summary>
internal static class ModelMath
{
    /// <summary>Days of one-step residuals that make up a model's in-sample error spread.</summary>
    public const int ResidualDays = 364;

    /// <summary>Root mean square of the one-step residuals accumulated by a model (sum of squares over count).</summary>
    public static double Rms(double sumOfSquares, int count) => count > 0 ? Math.Sqrt(sumOfSquares / count) : 0;

    /// <summary>
    /// Error spread per day ahead for a model whose level is smoothed with <paramref name="alpha"/>:
    /// sigma * sqrt(1 + (h - 1) * alpha^2), the variance growth of simple exponential smoothing.
    /// </summary>
    public static double[] LevelSigma(double sigma, double alpha, int horizon)
    {
        var result = new double[horizon];
        for (var h = 0; h < horizon; h++) result[h] = sigma * Math.Sqrt(1 + h * alpha * alpha);
        return result;
    }

    public static double Mean(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty) return 0;
        var sum = 0.0;
        foreach (var v in values) sum += v;
        return sum / values.Length;
    }

    /// <summary>True when no value is zero or negative (multiplicative models need this).</summary>
    public static bool AllPositive(ReadOnlySpan<double> values)
    {
        foreach (var v in values)
        {
            if (!(v > 0)) return false;
        }
        return true;
    }

    /// <summary>
    /// Weekly multiplicative indices (by day of week, 0 = Sunday, mean 1) from the ratio of each day to a
    /// centred 7-day moving average, as sums per weekday so that zero days do no harm. All ones when the
    /// series is too short or has no sales.
    /// </summary>
    public static double[] WeeklyIndices(SeriesWindow series)
    {
        var index = new double[7];
        Array.Fill(index, 1.0);
        var n = series.Length;
        if (n < 21) return index;
        var y = series.Values;
        var actual = new double[7];
        var smooth = new double[7];
        var window = 0.0;
        for (var t = 0; t < 7; t++) window += y[t];
        // The centred 7-day average at t runs over t-3..t+3.
        for (var t = 3; t + 3 < n; t++)
        {
            if (t > 3) window += y[t + 3] - y[t - 4];
            var d = series.DayOfWeek(t);
            actual[d] += y[t];
            smooth[d] += window / 7;
        }
        var total = 0.0;
        for (var d = 0; d < 7; d++)
        {
            index[d] = smooth[d] > 0 ? actual[d] / smooth[d] : 1;
            total += index[d];
        }
        if (total <= 0) { Array.Fill(index, 1.0); return index; }
        for (var d = 0; d < 7; d++) index[d] = index[d] * 7 / total;
        return index;
    }
}
