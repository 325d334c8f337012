using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ECommerce.IntegrationTests.Catalog;
using ECommerce.IntegrationTests.Infrastructure;
using Npgsql;

namespace ECommerce.IntegrationTests.Ordering;

/// <summary>
/// Sales analytics for admins: every figure checked against sums computed here from every order row (read from the
/// database, days converted with .NET's time zones), a new order and its cancellation, who may read them, bad input.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class SalesAnalyticsTests(AppFixture fixture)
{
    private const string Zone = "America/New_York";

    private sealed record OrderRow(long Id, string Customer, string Status, decimal Total, DateOnly Day, int Units);

    private sealed record LineRow(long OrderId, int ProductId, int Quantity, decimal UnitPrice);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Figures_over_the_demo_history_match_sums_of_every_order_in_the_admins_time_zone()
    {
        var admin = await new Shopper(fixture.App).SignInAsAdminAsync();
        var zone = TimeZoneInfo.FindSystemTimeZoneById(Zone);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).DateTime);
        // Whole past days only: no order placed while the test runs can fall inside them.
        var (from, to) = (today.AddDays(-90), today.AddDays(-1));
        var (previousFrom, previousTo) = (from.AddDays(-90), from.AddDays(-1));
        var path = $"/api/sales/analytics?from={Day(from)}&to={Day(to)}&timeZone={Uri.EscapeDataString(Zone)}&interval=week";
        var sales = await Eventually.ReturnsAsync(() => admin.GetJsonAsync(path), s => s.GetProperty("totals").GetProperty("orders").GetInt32() > 1000,
            TimeSpan.FromSeconds(90), "the demo history");

        var (orders, lines) = await ReadEveryOrderAsync(zone);
        var live = orders.Where(o => o.Status != "Cancelled").ToList();
        Assert.Contains(orders, o => o.Status == "Cancelled" && o.Day >= from && o.Day <= to); // the history has some to leave out
        var firstDay = live.GroupBy(o => o.Customer).ToDictionary(g => g.Key, g => g.Min(o => o.Day));

        foreach (var (name, start, end) in new[] { ("totals", from, to), ("previous", previousFrom, previousTo) })
        {
            var inPeriod = live.Where(o => o.Day >= start && o.Day <= end).ToList();
            var totals = sales.GetProperty(name);
            Assert.Equal(inPeriod.Sum(o => o.Total), totals.GetProperty("revenue").GetDecimal());
            Assert.Equal(inPeriod.Count, totals.GetProperty("orders").GetInt32());
            Assert.Equal(inPeriod.Sum(o => o.Units), totals.GetProperty("units").GetInt32());
            Assert.Equal(inPeriod.Select(o => o.Customer).Distinct().Count(), totals.GetProperty("customers").GetInt32());
            Assert.Equal(Math.Round(inPeriod.Sum(o => o.Total) / inPeriod.Count, 2), totals.GetProperty("averageOrderValue").GetDecimal());

            var split = sales.GetProperty(name == "totals" ? "customers" : "previousCustomers");
            var newOnes = inPeriod.GroupBy(o => o.Customer).Where(g => firstDay[g.Key] >= start).ToList();
            var returning = inPeriod.GroupBy(o => o.Customer).Where(g => firstDay[g.Key] < start).ToList();
            Assert.Equal(newOnes.Count, split.GetProperty("new").GetInt32());
            Assert.Equal(returning.Count, split.GetProperty("returning").GetInt32());
            Assert.Equal(newOnes.Sum(g => g.Sum(o => o.Total)), split.GetProperty("newRevenue").GetDecimal());
            Assert.Equal(returning.Sum(g => g.Sum(o => o.Total)), split.GetProperty("returningRevenue").GetDecimal());

            // Weeks from Monday, the first one cut to the period's first day; weeks without an order are there at zero.
            var buckets = sales.GetProperty(name == "totals" ? "buckets" : "previousBuckets").EnumerateArray().ToList();
            var expected = inPeriod.GroupBy(o => Max(start, Monday(o.Day))).ToDictionary(g => g.Key);
            Assert.Equal(Math.Ceiling((end.DayNumber - Monday(start).DayNumber + 1) / 7.0), buckets.Count);
            foreach (var bucket in buckets)
            {
                var week = DateOnly.ParseExact(bucket.GetProperty("start").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
                var sold = expected.GetValueOrDefault(week)?.ToList() ?? [];
                Assert.Equal(sold.Sum(o => o.Total), bucket.GetProperty("revenue").GetDecimal());
                Assert.Equal(sold.Count, bucket.GetProperty("orders").GetInt32());
                Assert.Equal(sold.Sum(o => o.Units), bucket.GetProperty("units").GetInt32());
            }
        }

        // Every product sold in either period, with its revenue, units and orders in this one and its revenue before.
        var byId = live.ToDictionary(o => o.Id);
        decimal Revenue(int product, DateOnly start, DateOnly end) => lines
            .Where(l => l.ProductId == product && byId.TryGetValue(l.OrderId, out var o) && o.Day >= start && o.Day <= end)
            .Sum(l => l.Quantity * l.UnitPrice);
        var soldLines = lines.Where(l => byId.TryGetValue(l.OrderId, out var o) && o.Day >= previousFrom && o.Day <= to).ToList();
        var products = sales.GetProperty("products").EnumerateArray().ToList();
        Assert.Equal(soldLines.Select(l => l.ProductId).Distinct().Order(), products.Select(p => p.GetProperty("productId").GetInt32()).Order());
        foreach (var product in products)
        {
            var id = product.GetProperty("productId").GetInt32();
            var mine = soldLines.Where(l => l.ProductId == id && byId[l.OrderId].Day >= from).ToList();
            Assert.Equal(Revenue(id, from, to), product.GetProperty("revenue").GetDecimal());
            Assert.Equal(Revenue(id, previousFrom, previousTo), product.GetProperty("previousRevenue").GetDecimal());
            Assert.Equal(mine.Sum(l => l.Quantity), product.GetProperty("units").GetInt32());
            Assert.Equal(mine.Select(l => l.OrderId).Distinct().Count(), product.GetProperty("orders").GetInt32());
        }
        var revenues = products.Select(p => p.GetProperty("revenue").GetDecimal()).ToList();
        Assert.Equal(revenues.OrderDescending(), revenues);

        // Categories and brands share the products' revenue out, and name real ones.
        foreach (var groups in new[] { "categories", "brands" })
        {
            var list = sales.GetProperty(groups).EnumerateArray().ToList();
            Assert.True(list.Count > 1, $"one {groups} only");
            Assert.Equal(revenues.Sum(), list.Sum(g => g.GetProperty("revenue").GetDecimal()));
            Assert.DoesNotContain(list, g => g.GetProperty("name").GetString() == "Unknown");
        }
    }

    [Fact]
    public async Task A_new_order_counts_at_once_and_leaves_when_cancelled_and_only_admins_read_it()
    {
        var catalog = new CatalogClient(fixture.App);
        var product = await catalog.CreateProductAsync([10], price: 12.5m, noun: "Analytics Trail Bottle");
        try
        {
            var shopper = await new Shopper(fixture.App).SignUpAsync();
            await shopper.AddOkAsync(product.VariantIds[0], 3);
            var order = await shopper.CheckoutOkAsync();

            var admin = await new Shopper(fixture.App).SignInAsAdminAsync();
            // Today as seen from both ends of the world's clocks: the order is in one of them whatever the hour.
            var utcToday = DateOnly.FromDateTime(DateTime.UtcNow);
            var path = $"/api/sales/analytics?from={Day(utcToday.AddDays(-1))}&to={Day(utcToday.AddDays(1))}&timeZone=Pacific%2FKiritimati";
            var sales = await admin.GetJsonAsync(path);
            Assert.Equal("day", sales.GetProperty("interval").GetString());
            Assert.Equal(3, sales.GetProperty("buckets").GetArrayLength());
            var line = Assert.Single(sales.GetProperty("products").EnumerateArray(), p => p.GetProperty("productId").GetInt32() == product.Id);
            Assert.Equal(37.5m, line.GetProperty("revenue").GetDecimal());
            Assert.Equal(3, line.GetProperty("units").GetInt32());
            Assert.Equal(1, line.GetProperty("orders").GetInt32());
            Assert.Equal(product.Name, line.GetProperty("name").GetString());
            Assert.NotEqual("Unknown", line.GetProperty("category").GetString());

            await shopper.PostJsonAsync($"/api/orders/{order.GetProperty("id").GetInt64()}/cancel");
            var after = await admin.GetJsonAsync(path);
            Assert.DoesNotContain(after.GetProperty("products").EnumerateArray(), p => p.GetProperty("productId").GetInt32() == product.Id);
            Assert.Equal(sales.GetProperty("totals").GetProperty("revenue").GetDecimal() - 37.5m, after.GetProperty("totals").GetProperty("revenue").GetDecimal());

            using (var asCustomer = await shopper.SendAsync(HttpMethod.Get, path))
            {
                Assert.Equal(HttpStatusCode.Forbidden, asCustomer.StatusCode);
            }
            using (var anonymous = await new Shopper(fixture.App).SendAsync(HttpMethod.Get, path))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            }

            foreach (var (query, field) in new[]
                     {
                         ("timeZone=Mars%2FOlympus", "timeZone"), ("interval=hour", "interval"), ("interval=7", "interval"), ("from=2026-02-30", "from"), ("from=0001-01-01&to=0001-01-02", "from"), ("from=9999-12-30&to=9999-12-31", "to"),
                         ($"from={Day(utcToday)}&to={Day(utcToday.AddDays(-1))}", "from"), ($"from={Day(utcToday.AddDays(-1200))}&to={Day(utcToday)}", "to"),
                     })
            {
                using var refused = await admin.SendAsync(HttpMethod.Get, "/api/sales/analytics?" + query);
                Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
                var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(Shopper.Cancellation);
                Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{query}: {problem}");
            }
        }
        finally
        {
            await catalog.ArchiveAsync(product);
        }
    }

    private async Task<(List<OrderRow> Orders, List<LineRow> Lines)> ReadEveryOrderAsync(TimeZoneInfo zone)
    {
        await using var connection = new NpgsqlConnection(fixture.App.GetConnectionString("orderingdb"));
        await connection.OpenAsync(Shopper.Cancellation);
        var lines = new List<LineRow>();
        await using (var command = new NpgsqlCommand("SELECT order_id, product_id, quantity, unit_price FROM order_lines", connection))
        await using (var reader = await command.ExecuteReaderAsync(Shopper.Cancellation))
        {
            while (await reader.ReadAsync(Shopper.Cancellation))
            {
                lines.Add(new LineRow(reader.GetInt64(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetDecimal(3)));
            }
        }
        var units = lines.GroupBy(l => l.OrderId).ToDictionary(g => g.Key, g => g.Sum(l => l.Quantity));
        var orders = new List<OrderRow>();
        await using (var command = new NpgsqlCommand("SELECT id, customer_id, status, total, created_at FROM orders", connection))
        await using (var reader = await command.ExecuteReaderAsync(Shopper.Cancellation))
        {
            while (await reader.ReadAsync(Shopper.Cancellation))
            {
                var local = TimeZoneInfo.ConvertTime(reader.GetFieldValue<DateTimeOffset>(4), zone);
                orders.Add(new OrderRow(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetDecimal(3),
                    DateOnly.FromDateTime(local.DateTime), units.GetValueOrDefault(reader.GetInt64(0))));
            }
        }
        return (orders, lines);
    }

    private static DateOnly Monday(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;
}
