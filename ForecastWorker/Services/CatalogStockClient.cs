using System.Net;
using ForecastWorker.Model;

namespace ForecastWorker.Services;

/// <summary>CatalogApi's stock levels, read with the worker's own service token (scope <c>stock:read</c>).</summary>
public sealed class CatalogStockClient(HttpClient http)
{
    public const int PageSize = 1000;

    /// <summary>Every variant, archived ones included (flagged), by variant id.</summary>
    public async Task<List<StockLevel>> GetAllAsync(CancellationToken cancellationToken)
    {
        // Page after page by the last variant id (not by page number: a deep page would cost the catalog more and more).
        var all = new List<StockLevel>();
        for (var afterId = 0; ;)
        {
            var result = await http.GetFromJsonAsync<StockLevelPage>($"/api/stock/levels?afterId={afterId}&pageSize={PageSize}", cancellationToken)
                ?? throw new InvalidOperationException("catalog-api answered an empty stock page.");
            all.AddRange(result.Items);
            if (result.Items.Count < PageSize)
            {
                return all;
            }
            afterId = result.Items[^1].VariantId;
        }
    }

    /// <summary>One variant's stock, or null when the catalog does not know it.</summary>
    public async Task<StockLevel?> GetAsync(int variantId, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"/api/stock/levels?ids={variantId}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            return null;
        }
        response.EnsureSuccessStatusCode();
        var result = await response.Content.ReadFromJsonAsync<StockLevelPage>(cancellationToken);
        return result?.Items.FirstOrDefault(i => i.VariantId == variantId);
    }
}
