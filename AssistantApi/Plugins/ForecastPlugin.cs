using System.ComponentModel;
using AssistantApi.Model;
using AssistantApi.Tools;
using Microsoft.SemanticKernel;

namespace AssistantApi.Plugins;

/// <summary>The shop staff's planning figures from the forecast worker: registered for admins only.</summary>
public sealed class ForecastPlugin(TurnContext turn, CatalogClient catalog, ForecastClient forecasts)
{
    [KernelFunction("get_demand_forecast"), Description("Admin: how many units of a product are expected to sell over the next days, with an 80% interval.")]
    public async Task<ForecastResult> GetDemandForecastAsync(
        [Description("The product's id")] int productId,
        [Description("How many days ahead, 1 to 90")] int horizonDays = 28,
        CancellationToken cancellationToken = default)
    {
        var days = Math.Clamp(horizonDays, 1, 90);
        var product = await catalog.GetProductAsync(productId, cancellationToken);
        turn.Discuss(product);
        var forecast = await forecasts.GetProductForecastAsync(productId, days, cancellationToken);
        var points = forecast.Points.Take(days).ToList();
        return new ForecastResult(product.Id, product.Name, days,
            Math.Round(points.Sum(p => p.Mean), 1), Math.Round(points.Sum(p => p.Lower80), 1), Math.Round(points.Sum(p => p.Upper80), 1),
            forecast.Model, forecast.ShortHistory ? forecast.Note ?? "short sales history" : forecast.Note);
    }

    [KernelFunction("get_reorder_suggestions"), Description("Admin: which variants to reorder now and how many, most urgent first.")]
    public async Task<ReorderResult> GetReorderSuggestionsAsync(
        [Description("How many suggestions, 1 to 20")] int limit = 10, CancellationToken cancellationToken = default)
    {
        var suggestions = await forecasts.GetReorderSuggestionsAsync(Math.Clamp(limit, 1, 20), cancellationToken);
        return new ReorderResult(suggestions.Items.Count, [.. suggestions.Items.Select(i => new ReorderLine(
            i.VariantId, i.ProductName, i.Sku, VariantMatcher.Describe(i.Options), i.Available,
            i.DaysOfCover is { } cover ? Math.Round(cover, 1) : null, i.StockoutDate, i.SuggestedQuantity))]);
    }
}
