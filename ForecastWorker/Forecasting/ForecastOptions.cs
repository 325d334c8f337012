namespace ForecastWorker.Forecasting;

/// <summary>How the engine picks and combines models for a series.</summary>
public sealed record ForecastOptions
{
    /// <summary>Backtest origins inside the history used to rank the models (non-overlapping, horizon apart).</summary>
    public int InnerOrigins { get; init; } = 4;

    /// <summary>At most how many of the best-ranked models are averaged (1 picks the single best).</summary>
    public int CombineTop { get; init; } = 3;

    /// <summary>
    /// Only models whose backtest MSE is within this factor of the best one's join the average: combining
    /// helps when the leaders are about as good, and dilutes the forecast when one model is clearly ahead.
    /// </summary>
    public double CombineWithin { get; init; } = 1.05;

    /// <summary>Weights of the averaged models: equal, or inversely proportional to their backtest MSE.</summary>
    public bool InverseErrorWeights { get; init; }

    /// <summary>Fewest days a model is trained on at the earliest inner origin.</summary>
    public int MinTrainingDays { get; init; } = 28;

    /// <summary>Share of days with sales below which a series counts as intermittent (1/1.32: ADI above 1.32).</summary>
    public double IntermittentBelow { get; init; } = 1 / 1.32;

    public static ForecastOptions Default { get; } = new();
}
