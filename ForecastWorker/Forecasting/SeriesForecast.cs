namespace ForecastWorker.Forecasting;

/// <summary>Why a forecast is less trustworthy than usual; stored and shown with it.</summary>
[Flags]
public enum ForecastFlags
{
    None = 0,
    /// <summary>No history at all: the forecast is the prior given (or zero).</summary>
    NoHistory = 1,
    /// <summary>History without a single sale: zero, with an upper bound from the rule of three.</summary>
    NoSales = 2,
    /// <summary>Too little history to backtest: a flat recent mean with widened intervals.</summary>
    ShortHistory = 4,
    /// <summary>Classified as intermittent demand (many days without sales).</summary>
    Intermittent = 8,
}

/// <summary>A model's share in the forecast, with its backtest error (RMSSE at the inner origins).</summary>
public sealed record ModelWeight(string Model, double Weight, double? BacktestRmsse);

/// <summary>
/// The forecast for one series: per day from <see cref="Start"/>, the mean and the 80% and 95% intervals,
/// all at or above zero, and how it was made.
/// </summary>
public sealed record SeriesForecast(
    DateOnly Start,
    double[] Mean,
    double[] Lower80,
    double[] Upper80,
    double[] Lower95,
    double[] Upper95,
    string Method,
    IReadOnlyList<ModelWeight> Components,
    double? BacktestRmsse,
    ForecastFlags Flags,
    string? Note)
{
    /// <summary>
    /// Every pool model's own mean forecast (clipped at zero) by model name, or null for a model that does
    /// not apply to this series. Filled only when asked for (backtests compare the methods).
    /// </summary>
    public IReadOnlyDictionary<string, double[]?>? MethodMeans { get; init; }
}
