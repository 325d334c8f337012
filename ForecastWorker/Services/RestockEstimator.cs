namespace ForecastWorker.Services;

/// <summary>What the storefront tells a shopper about a variant's restock.</summary>
public sealed record RestockEstimate(bool SoldOut, int? ExpectedInDays, DateOnly? ExpectedDate, string Basis);

/// <summary>
/// The restock estimate of the reorder policy: stock is reordered when available stock falls to the reorder point, so
/// a sold-out variant has been reordered at the latest now, and the order arrives within the supplier's lead time.
/// </summary>
public static class RestockEstimator
{
    public static RestockEstimate Estimate(int available, bool archived, int leadTimeDays, DateOnly today, double? dailyDemand)
    {
        if (archived)
        {
            return new RestockEstimate(available <= 0, null, null, "This item is no longer sold, so it will not be restocked.");
        }
        if (available > 0)
        {
            return new RestockEstimate(false, null, null, $"In stock: {available} available now.");
        }
        var days = ReorderMath.LeadTime(leadTimeDays);
        var demand = dailyDemand is > 0 ? $" Expected demand is about {dailyDemand.Value:0.#} a day." : "";
        return new RestockEstimate(true, days, today.AddDays(days),
            $"Sold out. It is reordered when stock falls to its reorder point, and the supplier delivers within {days} days.{demand}");
    }
}
