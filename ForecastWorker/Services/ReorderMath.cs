using MathNet.Numerics.Distributions;

namespace ForecastWorker.Services;

/// <summary>The reorder figures of one variant, in units and days.</summary>
/// <param name="DailyDemand">Forecast demand per day over the lead time.</param>
/// <param name="LeadTimeDemand">Forecast demand over the lead time.</param>
/// <param name="SafetyStock">z(service level) x the spread of the lead-time demand, rounded up.</param>
/// <param name="ReorderPoint">Lead-time demand plus safety stock, rounded up: order when available stock is at or below it.</param>
/// <param name="DaysOfCover">Days until the forecast demand uses up the available stock; null when no demand is forecast.</param>
/// <param name="SuggestedQuantity">
/// At or below the reorder point: enough to cover the lead time plus a review period with the safety stock on top; else 0.
/// </param>
public sealed record ReorderAdvice(
    double DailyDemand,
    double LeadTimeDemand,
    int SafetyStock,
    int ReorderPoint,
    double? DaysOfCover,
    int SuggestedQuantity)
{
    /// <summary>Days of cover left after a new order would arrive: negative means a stock-out before any delivery.</summary>
    public double Slack(int leadTimeDays) => DaysOfCover is { } cover ? cover - ReorderMath.LeadTime(leadTimeDays) : double.PositiveInfinity;
}

/// <summary>
/// Reorder point arithmetic on a daily forecast (continuous review, order-up-to policy). The spread of a day's demand
/// is read off its 80% interval (upper bound minus mean over the normal 90% quantile); days are taken as independent,
/// so the lead-time spread is the root of the summed daily variances. Beyond the forecast horizon, demand continues at
/// the horizon's average and spread at the last day's.
/// </summary>
public static class ReorderMath
{
    private const double Z90 = 1.2815515655446004;

    /// <summary>The normal quantile of the service level (1.645 for 95%).</summary>
    public static double SafetyFactor(double serviceLevel)
    {
        if (!(serviceLevel > 0 && serviceLevel < 1)) throw new ArgumentOutOfRangeException(nameof(serviceLevel), "The service level is a probability between 0 and 1.");
        return Normal.InvCDF(0, 1, serviceLevel);
    }

    /// <summary>A lead time of at least a day.</summary>
    public static int LeadTime(int leadTimeDays) => Math.Max(1, leadTimeDays);

    /// <param name="available">On hand minus reserved.</param>
    /// <param name="leadTimeDays">Days from ordering to having the stock.</param>
    /// <param name="mean">Forecast mean per day, from today.</param>
    /// <param name="upper80">Upper 80% bound per day, from today.</param>
    public static ReorderAdvice Advise(int available, int leadTimeDays, double[] mean, double[] upper80, double serviceLevel, int reviewPeriodDays)
    {
        if (mean.Length != upper80.Length) throw new ArgumentException("Mean and upper bound differ in length.", nameof(upper80));
        var leadTime = LeadTime(leadTimeDays);
        var averageDemand = 0.0;
        foreach (var m in mean) averageDemand += Math.Max(m, 0);
        averageDemand = mean.Length > 0 ? averageDemand / mean.Length : 0;

        double Demand(int day) => day < mean.Length ? Math.Max(mean[day], 0) : averageDemand;
        double Sigma(int day)
        {
            if (mean.Length == 0) return 0;
            var d = Math.Min(day, mean.Length - 1);
            return Math.Max(upper80[d] - mean[d], 0) / Z90;
        }

        double leadTimeDemand = 0, variance = 0, coverDemand = 0;
        for (var day = 0; day < leadTime; day++)
        {
            leadTimeDemand += Demand(day);
            variance += Sigma(day) * Sigma(day);
        }
        for (var day = 0; day < leadTime + Math.Max(0, reviewPeriodDays); day++) coverDemand += Demand(day);

        var safetyStock = (int)Math.Ceiling(SafetyFactor(serviceLevel) * Math.Sqrt(variance) - 1e-9);
        var reorderPoint = (int)Math.Ceiling(leadTimeDemand - 1e-9) + Math.Max(0, safetyStock);
        var suggested = available <= reorderPoint
            ? Math.Max(0, (int)Math.Ceiling(coverDemand + Math.Max(0, safetyStock) - Math.Max(0, available) - 1e-9))
            : 0;
        return new ReorderAdvice(leadTimeDemand / leadTime, leadTimeDemand, Math.Max(0, safetyStock), reorderPoint,
            DaysOfCover(available, mean, averageDemand), suggested);
    }

    /// <summary>Days (fractional) until the cumulative forecast demand reaches <paramref name="available"/>; null when no demand is forecast.</summary>
    public static double? DaysOfCover(int available, ReadOnlySpan<double> mean, double demandAfter)
    {
        if (available <= 0) return 0;
        var left = (double)available;
        for (var day = 0; day < mean.Length; day++)
        {
            var demand = Math.Max(mean[day], 0);
            if (demand >= left) return day + left / demand;
            left -= demand;
        }
        return demandAfter > 0 ? mean.Length + left / demandAfter : null;
    }
}
