using System.Globalization;
using System.Text;
using Storefront.Model;

namespace Storefront.Services;

/// <summary>
/// The analytics page as CSV, section after section as the page shows them (figures, the time series, categories,
/// brands, customers, products), each with a header row and a blank line after it. Numbers are written invariantly
/// (a dot for decimals); a text that a spreadsheet would take for a formula (=, +, -, @) is prefixed with a quote.
/// </summary>
public static class AnalyticsCsv
{
    public static string Write(SalesAnalytics sales)
    {
        var csv = new StringBuilder();
        Row(csv, "period", "from", "to", "time zone", "currency");
        Row(csv, "current", Day(sales.From), Day(sales.To), sales.TimeZone, sales.Currency);
        Row(csv, "before", Day(sales.PreviousFrom), Day(sales.PreviousTo), sales.TimeZone, sales.Currency);
        csv.Append("\r\n");

        Row(csv, "figure", "current", "before");
        Row(csv, "revenue", Num(sales.Totals.Revenue), Num(sales.Previous.Revenue));
        Row(csv, "orders", Num(sales.Totals.Orders), Num(sales.Previous.Orders));
        Row(csv, "units", Num(sales.Totals.Units), Num(sales.Previous.Units));
        Row(csv, "average order value", Num(sales.Totals.AverageOrderValue), Num(sales.Previous.AverageOrderValue));
        Row(csv, "customers", Num(sales.Totals.Customers), Num(sales.Previous.Customers));
        Row(csv, "new customers", Num(sales.Customers.New), Num(sales.PreviousCustomers.New));
        Row(csv, "returning customers", Num(sales.Customers.Returning), Num(sales.PreviousCustomers.Returning));
        Row(csv, "revenue from new customers", Num(sales.Customers.NewRevenue), Num(sales.PreviousCustomers.NewRevenue));
        Row(csv, "revenue from returning customers", Num(sales.Customers.ReturningRevenue), Num(sales.PreviousCustomers.ReturningRevenue));
        csv.Append("\r\n");

        Row(csv, $"{sales.Interval} from", "revenue", "orders", "units", "before from", "revenue before", "orders before", "units before");
        for (var i = 0; i < Math.Max(sales.Buckets.Count, sales.PreviousBuckets.Count); i++)
        {
            var now = i < sales.Buckets.Count ? sales.Buckets[i] : null;
            var then = i < sales.PreviousBuckets.Count ? sales.PreviousBuckets[i] : null;
            Row(csv, now is null ? "" : Day(now.Start), now is null ? "" : Num(now.Revenue), now is null ? "" : Num(now.Orders), now is null ? "" : Num(now.Units),
                then is null ? "" : Day(then.Start), then is null ? "" : Num(then.Revenue), then is null ? "" : Num(then.Orders), then is null ? "" : Num(then.Units));
        }
        csv.Append("\r\n");

        foreach (var (title, groups) in new[] { ("category", sales.Categories), ("brand", sales.Brands) })
        {
            Row(csv, title, "revenue", "units", "revenue before");
            foreach (var group in groups)
            {
                Row(csv, group.Name, Num(group.Revenue), Num(group.Units), Num(group.PreviousRevenue));
            }
            csv.Append("\r\n");
        }

        Row(csv, "product id", "product", "category", "brand", "revenue", "units", "orders", "revenue before");
        foreach (var product in sales.Products)
        {
            Row(csv, Num(product.ProductId), product.Name, product.Category, product.Brand, Num(product.Revenue), Num(product.Units), Num(product.Orders),
                Num(product.PreviousRevenue));
        }
        return csv.ToString();
    }

    /// <summary>The file name: sales-2026-11-01-to-2026-11-30.csv.</summary>
    public static string FileName(SalesAnalytics sales) => $"sales-{Day(sales.From)}-to-{Day(sales.To)}.csv";

    private static void Row(StringBuilder csv, params string[] cells)
    {
        csv.AppendJoin(',', cells.Select(Cell));
        csv.Append("\r\n");
    }

    /// <summary>A cell: quoted when it holds a comma, quote or line break; a leading formula character made harmless.</summary>
    public static string Cell(string text)
    {
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' && !decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out _))
        {
            text = "'" + text;
        }
        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"") + "\"" : text;
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Num(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);
}
