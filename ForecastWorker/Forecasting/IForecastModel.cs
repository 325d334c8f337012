namespace ForecastWorker.Forecasting;

/// <summary>Which kind of series a model is meant for; the selector only offers a model to series of its kind.</summary>
[Flags]
public enum DemandKinds
{
    None = 0,
    /// <summary>Most days have sales.</summary>
    Smooth = 1,
    /// <summary>Many days without sales (average interval between sales above 1.32 days).</summary>
    Intermittent = 2,
    Any = Smooth | Intermittent,
}

/// <summary>
/// A forecasting method. <see cref="Fit"/> estimates its parameters from a history (the expensive part);
/// the returned <see cref="IFittedModel"/> then forecasts from the end of that history or of any longer
/// stretch of the same series, recomputing its states with the parameters kept fixed. The selector uses
/// this to backtest at several origins with one fit, always on data before each origin.
/// Implementations are stateless and thread-safe.
/// </summary>
public interface IForecastModel
{
    string Name { get; }

    /// <summary>Fewest days of history (counted from the first sale) the model needs.</summary>
    int MinHistory { get; }

    /// <summary>The kinds of series the selector offers this model to.</summary>
    DemandKinds Kinds { get; }

    /// <summary>Estimates the parameters, or returns null when the model does not apply to this history.</summary>
    IFittedModel? Fit(SeriesWindow history);
}

public interface IFittedModel
{
    /// <summary>
    /// Forecasts <paramref name="horizon"/> days after the end of <paramref name="history"/>, which is the
    /// fitted history or a longer prefix of the same series (same start).
    /// </summary>
    PointForecast Forecast(SeriesWindow history, int horizon);
}

/// <summary>
/// A model's forecast before intervals: the mean per day ahead (not yet clipped at zero) and the model's
/// own standard deviation of the error per day ahead (one-step in-sample residual spread grown with horizon).
/// </summary>
public sealed record PointForecast(double[] Mean, double[] Sigma);
