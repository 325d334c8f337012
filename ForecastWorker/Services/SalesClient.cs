using System.Globalization;
using ForecastWorker.Model;

namespace ForecastWorker.Services;

/// <summary>OrderingApi's daily sales, read with the worker's own service token (scope <c>sales:read</c>).</summary>
public sealed class SalesClient(HttpClient http)
{
    /// <summary>Units per variant and day for <paramref name="from"/>..<paramref name="to"/> (inclusive); variants without sales are left out.</summary>
    public async Task<DailySales> GetDailyAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var url = string.Create(CultureInfo.InvariantCulture, $"/api/sales/daily?from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}");
        var sales = await http.GetFromJsonAsync<DailySales>(url, cancellationToken)
            ?? throw new InvalidOperationException("ordering-api answered an empty sales body.");
        var days = to.DayNumber - from.DayNumber + 1;
        if (sales.From != from || sales.To != to || sales.Variants.Any(v => v.Units is null || v.Units.Length != days))
        {
            throw new InvalidOperationException($"ordering-api answered sales for {sales.From}..{sales.To} in an unexpected shape when asked for {from}..{to}.");
        }
        return sales;
    }
}
