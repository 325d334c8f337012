using System.Collections.Concurrent;
using ForecastWorker.Forecasting;

namespace ForecastWorker.Services;

/// <summary>
/// A run's forecasts of the variants with no sale in its history (at 100,000 products nearly the whole catalog): the
/// engine's answer for an all-zero window, which never enters the model race (zero with the rule-of-three upper bounds,
/// or a new variant's product level). That answer depends only on how many days the variant has been in the window and
/// on its product's prior, so it is made once per such pair and shared, with no history array of its own. Thread-safe.
/// </summary>
/// <param name="zeros">The run's pulled days, all zero (never written to).</param>
public sealed class UnsoldForecasts(ForecastEngine engine, double[] zeros, DateOnly historyFrom, int horizon)
{
    private readonly ConcurrentDictionary<(int Days, double? Prior), SeriesForecast> _made = new();

    /// <summary>The forecast of a variant created at <paramref name="createdAt"/> that has not sold, and the days of history it stands on.</summary>
    public (int Days, SeriesForecast Forecast) Get(DateTimeOffset? createdAt, double? prior)
    {
        var window = VariantHistory.Unsold(zeros, historyFrom, createdAt);
        var forecast = _made.GetOrAdd((window.Length, prior),
            static (key, made) => made.Engine.Forecast(made.Window, made.Horizon, key.Prior), (Engine: engine, Window: window, Horizon: horizon));
        return (window.Length, forecast);
    }
}
