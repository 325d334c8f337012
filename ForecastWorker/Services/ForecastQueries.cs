using ForecastWorker.Forecasting;
using ForecastWorker.Infrastructure;
using ForecastWorker.Model;
using Microsoft.Extensions.Options;

namespace ForecastWorker.Services;

/// <summary>What the API serves, read from the latest complete run (and, for stock, live from CatalogApi).</summary>
public sealed class ForecastQueries(ForecastStore store, CatalogStockClient catalog, IOptions<ForecastingSettings> options, TimeProvider timeProvider)
{
    private const ForecastFlags Uncertain = ForecastFlags.ShortHistory | ForecastFlags.NoSales | ForecastFlags.NoHistory;

    // The demand of the latest run from a given day: a complete run never changes, so it is read once per run and day.
    // (A reference, so readers never see half of an update.)
    private CachedDemand? _demand;

    private sealed record CachedDemand(long RunId, DateOnly From, Task<Dictionary<int, StoredDemand>> Demand);

    private DateOnly Today => DateOnly.FromDateTime(timeProvider.GetUtcNow().UtcDateTime);

    /// <summary>A variant's forecast from the latest complete run, or null when it has none.</summary>
    public async Task<ForecastResponse?> GetVariantForecastAsync(int variantId, int horizon, int historyDays, CancellationToken cancellationToken)
    {
        var headers = await store.GetForecastHeadersAsync(variantId, null, cancellationToken);
        if (headers is not [var header])
        {
            return null;
        }
        var points = await store.GetPointsAsync(header.RunId, [variantId], header.Start, horizon, cancellationToken);
        var history = await store.GetHistoryAsync([variantId], header.Start.AddDays(-historyDays), header.Start.AddDays(-1), cancellationToken);
        return new ForecastResponse(variantId, header.ProductId, header.RunId, header.GeneratedAt, header.Model, Round(header.BacktestRmsse),
            (header.Flags & Uncertain) != 0, header.Note, history, points.GetValueOrDefault(variantId, []).Select(Round).ToList());
    }

    /// <summary>
    /// A product's forecast: the sum over its variants. Means add up; each bound is the mean plus or minus the root of
    /// the summed squared distances of the variants' bounds from their means (variants taken as independent).
    /// </summary>
    public async Task<ForecastResponse?> GetProductForecastAsync(int productId, int horizon, int historyDays, CancellationToken cancellationToken)
    {
        var headers = await store.GetForecastHeadersAsync(null, productId, cancellationToken);
        if (headers.Count == 0)
        {
            return null;
        }
        var first = headers[0];
        var ids = headers.Select(h => h.VariantId).ToArray();
        var byVariant = await store.GetPointsAsync(first.RunId, ids, first.Start, horizon, cancellationToken);
        var history = await store.GetHistoryAsync(ids, first.Start.AddDays(-historyDays), first.Start.AddDays(-1), cancellationToken);
        var uncertain = headers.Count(h => (h.Flags & Uncertain) != 0);
        var note = $"Sum of {headers.Count} variant forecasts; intervals assume the variants' errors are independent."
            + (uncertain > 0 ? $" {uncertain} of them have little or no sales history." : "");
        return new ForecastResponse(null, productId, first.RunId, first.GeneratedAt, "sum", null,
            uncertain == headers.Count, note, history, SumPoints(byVariant.Values, first.Start, horizon).Select(Round).ToList());
    }

    internal static List<ForecastPoint> SumPoints(IEnumerable<ForecastPoint[]> series, DateOnly start, int horizon)
    {
        var mean = new double[horizon];
        var spread = new double[4, horizon];
        var days = 0;
        foreach (var points in series)
        {
            foreach (var p in points)
            {
                var h = p.Date.DayNumber - start.DayNumber;
                if (h < 0 || h >= horizon) continue;
                days = Math.Max(days, h + 1);
                mean[h] += p.Mean;
                spread[0, h] += Square(p.Mean - p.Lower80);
                spread[1, h] += Square(p.Upper80 - p.Mean);
                spread[2, h] += Square(p.Mean - p.Lower95);
                spread[3, h] += Square(p.Upper95 - p.Mean);
            }
        }
        var sum = new List<ForecastPoint>(days);
        for (var h = 0; h < days; h++)
        {
            sum.Add(new ForecastPoint(start.AddDays(h), mean[h],
                Math.Max(0, mean[h] - Math.Sqrt(spread[0, h])), mean[h] + Math.Sqrt(spread[1, h]),
                Math.Max(0, mean[h] - Math.Sqrt(spread[2, h])), mean[h] + Math.Sqrt(spread[3, h])));
        }
        return sum;

        static double Square(double x) => x * x;
    }

    public async Task<RunResponse?> GetRunAsync(long? runId, CancellationToken cancellationToken)
    {
        var run = await store.GetRunAsync(runId, cancellationToken);
        if (run is null)
        {
            return null;
        }
        var models = run.Status == ForecastStore.Complete ? await store.GetModelSummaryAsync(run.Id, cancellationToken) : [];
        return ToResponse(run, models);
    }

    public static RunResponse ToResponse(RunRow run, IReadOnlyList<ModelSummary> models) => new(
        run.Id, run.Status, run.Trigger, run.RequestedAt, run.StartedAt, run.CompletedAt, Round(run.DurationSeconds), run.ForecastStart,
        run.Horizon, run.Variants, Round(run.MeanRmsse), run.Attempts, run.Error,
        [.. models.Select(m => m with { MeanRmsse = Round(m.MeanRmsse) })]);

    /// <summary>
    /// Reorder advice for every active variant of the latest run, with live stock from CatalogApi, most urgent first:
    /// the fewest days of cover left after a new order's lead time.
    /// </summary>
    public async Task<ReorderSuggestions?> GetReorderSuggestionsAsync(int limit, double serviceLevel, CancellationToken cancellationToken)
    {
        var run = await store.GetRunAsync(null, cancellationToken);
        if (run?.ForecastStart is not { } start)
        {
            return null;
        }
        var today = Today;
        var from = start > today ? start : today;
        var demandTask = DemandAsync(run.Id, from);
        var stock = await catalog.GetAllAsync(cancellationToken);
        var demand = await demandTask.WaitAsync(cancellationToken);
        var review = options.Value.Reorder.ReviewPeriodDays;
        var items = new List<(ReorderSuggestion Item, double Slack)>(stock.Count);
        foreach (var level in stock)
        {
            if (level.Archived || !demand.TryGetValue(level.VariantId, out var forecast))
            {
                continue;
            }
            var advice = ReorderMath.Advise(level.Available, level.LeadTimeDays, forecast.Mean, forecast.Upper80, serviceLevel, review);
            DateOnly? stockout = advice.DaysOfCover is { } cover && cover < 3660 ? from.AddDays((int)Math.Floor(cover)) : null;
            items.Add((new ReorderSuggestion(level.VariantId, level.ProductId, level.ProductName, level.Sku, level.Options, level.OnHand, level.Available,
                Math.Round(advice.DailyDemand, 3), level.LeadTimeDays, advice.SafetyStock, advice.ReorderPoint,
                advice.DaysOfCover is { } days ? Math.Round(days, 1) : null, stockout, advice.SuggestedQuantity), advice.Slack(level.LeadTimeDays)));
        }
        var ordered = items
            .OrderBy(i => i.Slack)
            .ThenByDescending(i => i.Item.SuggestedQuantity)
            .ThenBy(i => i.Item.VariantId)
            .Take(limit)
            .Select(i => i.Item)
            .ToList();
        return new ReorderSuggestions(run.Id, run.CompletedAt ?? run.RequestedAt, serviceLevel, ordered);
    }

    /// <summary>The run's demand from <paramref name="from"/>, shared by concurrent callers; a failed read is not kept.</summary>
    private Task<Dictionary<int, StoredDemand>> DemandAsync(long runId, DateOnly from)
    {
        var cached = _demand;
        if (cached is not null && cached.RunId == runId && cached.From == from && !cached.Demand.IsFaulted && !cached.Demand.IsCanceled)
        {
            return cached.Demand;
        }
        // Not tied to one request's cancellation: other callers may be waiting on the same read.
        var read = store.GetDemandAsync(runId, from, CancellationToken.None);
        _demand = new CachedDemand(runId, from, read);
        return read;
    }

    /// <summary>The restock estimate of a variant, or null when the catalog does not know it.</summary>
    public async Task<RestockEstimateResponse?> GetRestockEstimateAsync(int variantId, CancellationToken cancellationToken)
    {
        var level = await catalog.GetAsync(variantId, cancellationToken);
        if (level is null)
        {
            return null;
        }
        double? dailyDemand = null;
        if (level.Available <= 0 && !level.Archived && (await store.GetForecastHeadersAsync(variantId, null, cancellationToken)) is [var header])
        {
            var points = await store.GetPointsAsync(header.RunId, [variantId], header.Start, ReorderMath.LeadTime(level.LeadTimeDays), cancellationToken);
            if (points.TryGetValue(variantId, out var p) && p.Length > 0) dailyDemand = p.Average(x => x.Mean);
        }
        var estimate = RestockEstimator.Estimate(level.Available, level.Archived, level.LeadTimeDays, Today, dailyDemand);
        return new RestockEstimateResponse(variantId, Math.Max(0, level.Available), estimate.SoldOut, estimate.ExpectedInDays, estimate.ExpectedDate, estimate.Basis);
    }

    private static double? Round(double? value) => value is { } v && double.IsFinite(v) ? Math.Round(v, 4) : null;

    private static ForecastPoint Round(ForecastPoint p) => new(p.Date,
        Math.Round(p.Mean, 3), Math.Round(p.Lower80, 3), Math.Round(p.Upper80, 3), Math.Round(p.Lower95, 3), Math.Round(p.Upper95, 3));
}
