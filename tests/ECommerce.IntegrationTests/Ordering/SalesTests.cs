using System.Net;
using System.Text.Json;
using ECommerce.IntegrationTests.Catalog;
using ECommerce.IntegrationTests.Identity;
using ECommerce.IntegrationTests.Infrastructure;

namespace ECommerce.IntegrationTests.Ordering;

/// <summary>Sales for the forecaster and the storefront: daily units with zero days, the demo history, who may read them.</summary>
[Collection(AppCollection.Name)]
public sealed class SalesTests(AppFixture fixture)
{
    private readonly CatalogClient _catalog = new(fixture.App);

    private static string Day(DateTime at) => at.ToString("yyyy-MM-dd");

    [Fact]
    public async Task Daily_sales_count_units_per_day_with_zero_days_and_drop_cancelled_orders()
    {
        var product = await _catalog.CreateProductAsync([20], price: 9.5m, noun: "Sales Chalk Bag");
        var variant = product.VariantIds[0];
        try
        {
            var shopper = await new Shopper(fixture.App).SignUpAsync();
            await shopper.AddOkAsync(variant, 3);
            var order = await shopper.CheckoutOkAsync();
            await shopper.AddOkAsync(variant, 2);
            await shopper.CheckoutOkAsync(paymentMethod: "cash");

            var admin = await new Shopper(fixture.App).SignInAsAdminAsync();
            var today = DateTime.UtcNow.Date;
            var path = $"/api/sales/daily?from={Day(today.AddDays(-2))}&to={Day(today)}&variantId={variant}";
            var sales = await admin.GetJsonAsync(path);
            Assert.Equal(Day(today.AddDays(-2)), sales.GetProperty("from").GetString());
            var series = Assert.Single(sales.GetProperty("variants").EnumerateArray());
            Assert.Equal(variant, series.GetProperty("variantId").GetInt32());
            Assert.Equal([0, 0, 5], series.GetProperty("units").EnumerateArray().Select(u => u.GetInt32()));

            // A cancelled order is no sale.
            await shopper.PostJsonAsync($"/api/orders/{order.GetProperty("id").GetInt64()}/cancel");
            var after = await admin.GetJsonAsync(path);
            Assert.Equal([0, 0, 2], after.GetProperty("variants")[0].GetProperty("units").EnumerateArray().Select(u => u.GetInt32()));

            // The forecaster's service token (scope sales:read) reads it too; a customer and an anonymous caller do not.
            var (clientId, secret) = fixture.App.GetCredentials("forecast-worker-client");
            var identity = new IdentityClient(fixture.App);
            using var issued = await identity.PostAsync("/api/identity/service-token", new { clientId, clientSecret = secret });
            var serviceToken = (await Shopper.OkJsonAsync(issued)).GetProperty("accessToken").GetString();
            using (var asService = await identity.SendAsync("ordering-api", HttpMethod.Get, path, serviceToken))
            {
                Assert.Equal(HttpStatusCode.OK, asService.StatusCode);
            }
            using (var asCustomer = await shopper.SendAsync(HttpMethod.Get, path))
            {
                Assert.Equal(HttpStatusCode.Forbidden, asCustomer.StatusCode);
            }
            using (var anonymous = await identity.SendAsync("ordering-api", HttpMethod.Get, path))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            }

            // An asked variant with no sales is listed with zeros.
            var none = await admin.GetJsonAsync($"/api/sales/daily?from={Day(today.AddDays(-6))}&to={Day(today)}&variantId={product.VariantIds[0] + 1_000_000}");
            Assert.Equal(new int[7], none.GetProperty("variants")[0].GetProperty("units").EnumerateArray().Select(u => u.GetInt32()));

            // Bad ranges are 400s.
            foreach (var bad in new[] { "from=2026-13-01", $"from={Day(today)}&to={Day(today.AddDays(-1))}", $"from={Day(today.AddDays(-1200))}&to={Day(today)}", "variantId=abc" })
            {
                using var refused = await admin.SendAsync(HttpMethod.Get, "/api/sales/daily?" + bad);
                Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            }
        }
        finally
        {
            await _catalog.ArchiveAsync(product);
        }
    }

    [Fact]
    public async Task The_demo_history_holds_two_years_of_seasonal_sales_read_fast()
    {
        var admin = await new Shopper(fixture.App).SignInAsAdminAsync();
        var yesterday = DateTime.UtcNow.Date.AddDays(-1);
        var path = $"/api/sales/daily?from={Day(yesterday.AddDays(-729))}&to={Day(yesterday)}";

        // Generated in the background at first start: give it a little time.
        var sales = await Eventually.ReturnsAsync(() => admin.GetJsonAsync(path), s => s.GetProperty("variants").GetArrayLength() > 500,
            TimeSpan.FromSeconds(90), "the demo history");
        var variants = sales.GetProperty("variants").EnumerateArray().ToList();
        Assert.All(variants, v => Assert.Equal(730, v.GetProperty("units").GetArrayLength()));
        var total = variants.Sum(v => v.GetProperty("units").EnumerateArray().Sum(u => u.GetInt32()));
        Assert.True(total > 50_000, $"only {total} units in two years");

        // Read the whole catalog's two years again, timed: the forecaster does this on every run.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await admin.GetJsonAsync(path);
        Assert.True(watch.ElapsedMilliseconds < 5000, $"two years of daily sales took {watch.ElapsedMilliseconds} ms");

        // Best sellers and bought-together are open to shoppers.
        var shopper = new Shopper(fixture.App);
        var best = await shopper.GetJsonAsync("/api/sales/best-sellers?days=30&limit=8");
        var top = best.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(8, top.Count);
        Assert.True(top.Zip(top.Skip(1)).All(p => p.First.GetProperty("units").GetInt32() >= p.Second.GetProperty("units").GetInt32()));
        var productId = top[0].GetProperty("productId").GetInt32();
        var together = await shopper.GetJsonAsync($"/api/sales/bought-together?productId={productId}&limit=5");
        Assert.Equal(productId, together.GetProperty("productId").GetInt32());
        Assert.NotEmpty(together.GetProperty("items").EnumerateArray());
        Assert.DoesNotContain(together.GetProperty("items").EnumerateArray(), i => i.GetProperty("productId").GetInt32() == productId);
        using var bad = await shopper.SendAsync(HttpMethod.Get, "/api/sales/bought-together");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }
}
