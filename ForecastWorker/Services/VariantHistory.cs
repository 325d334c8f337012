using ForecastWorker.Forecasting;

namespace ForecastWorker.Services;

/// <summary>What a variant's forecast is fitted on: its part of the pulled days, and a level to start from when it has none.</summary>
public static class VariantHistory
{
    /// <summary>Days of recent sales a product's level is measured over (the prior of its new variants).</summary>
    public const int PriorDays = 28;

    /// <summary>
    /// The variant's history within the pulled days <paramref name="values"/> (from <paramref name="from"/>): all of them
    /// once it has sold (the engine starts at the first sale), else only the days since it was created, so that a variant
    /// added yesterday counts as new (no history: the prior) rather than as two years without a sale.
    /// </summary>
    public static SeriesWindow Window(double[] values, DateOnly from, DateTimeOffset? createdAt)
    {
        return Array.Exists(values, v => v > 0) ? new SeriesWindow(values, from) : Unsold(values, from, createdAt);
    }

    /// <summary>The window of a variant without a sale in the pulled days <paramref name="zeros"/>: the days since it was created.</summary>
    public static SeriesWindow Unsold(double[] zeros, DateOnly from, DateTimeOffset? createdAt)
    {
        if (createdAt is not { } created)
        {
            return new SeriesWindow(zeros, from);
        }
        var offset = Math.Clamp(DateOnly.FromDateTime(created.UtcDateTime).DayNumber - from.DayNumber, 0, zeros.Length);
        return new SeriesWindow(zeros, offset, zeros.Length - offset, from.AddDays(offset));
    }

    /// <summary>
    /// Per product, the mean daily units of its variants that sold in the last <see cref="PriorDays"/> days (per such
    /// variant): the level a new variant of the product is forecast at until it has its own sales.
    /// </summary>
    public static Dictionary<int, double> ProductPriors(IEnumerable<(int ProductId, double[]? Values)> variants)
    {
        var sums = new Dictionary<int, (double Total, int Count)>();
        foreach (var (productId, values) in variants)
        {
            if (values is null || values.Length == 0) continue;
            var recent = values.AsSpan(Math.Max(0, values.Length - PriorDays));
            var mean = 0.0;
            foreach (var v in recent) mean += v;
            mean /= recent.Length;
            if (mean <= 0) continue;
            var (total, count) = sums.GetValueOrDefault(productId);
            sums[productId] = (total + mean, count + 1);
        }
        return sums.ToDictionary(kv => kv.Key, kv => kv.Value.Total / kv.Value.Count);
    }
}
