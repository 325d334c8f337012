using System.Globalization;
using System.Net;
using System.Text.Json;
using ECommerce.IntegrationTests.Catalog;
using ECommerce.IntegrationTests.Identity;
using ECommerce.IntegrationTests.Infrastructure;

namespace ECommerce.IntegrationTests.Forecast;

/// <summary>forecast-worker through the whole app: sales pulled from ordering-api, a run, and what the API serves from it.</summary>
[Collection(AppCollection.Name)]
public sealed class ForecastWorkerTests(AppFixture fixture)
{
    private readonly ForecastClient _forecasts = new(fixture.App);
    private readonly CatalogClient _catalog = new(fixture.App);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly ParseDay(JsonElement value) => DateOnly.ParseExact(value.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_run_forecasts_every_active_variant_from_the_pulled_sales_and_serves_forecasts_and_reorder_advice()
    {
        await _forecasts.WaitForSalesHistoryAsync(TimeSpan.FromMinutes(5));

        // A product of its own, never sold: one variant in stock, one sold out with a 21-day lead time.
        var product = await _catalog.CreateProductAsync([6]);
        var soldOut = await _catalog.AdminJsonAsync(HttpMethod.Post, $"/api/catalog/products/{product.Id}/variants",
            new { options = new { Size = "XL" }, price = 25m, onHand = 0, reorderPoint = 2, leadTimeDays = 21 }, HttpStatusCode.Created);
        var soldOutId = soldOut.GetProperty("id").GetInt32();
        try
        {
            var run = await _forecasts.RunAndWaitAsync(TimeSpan.FromMinutes(4));

            // Every active variant has a forecast; each one's winning model is counted once.
            var levels = await _forecasts.AdminGetAsync("/api/stock/levels?pageSize=1000", CatalogClient.Service);
            var total = levels.GetProperty("total").GetInt32();
            var active = new List<JsonElement>();
            for (var page = 1; (page - 1) * 1000 < total; page++)
            {
                var pageItems = page == 1 ? levels : await _forecasts.AdminGetAsync($"/api/stock/levels?page={page}&pageSize=1000", CatalogClient.Service);
                active.AddRange(pageItems.GetProperty("items").EnumerateArray().Where(i => !i.GetProperty("archived").GetBoolean()));
            }
            Assert.Equal(active.Count, run.GetProperty("variants").GetInt32());
            var models = run.GetProperty("models").EnumerateArray().ToList();
            Assert.NotEmpty(models);
            Assert.Equal(active.Count, models.Sum(m => m.GetProperty("wins").GetInt32()));
            Assert.True(run.GetProperty("durationSeconds").GetDouble() > 0);
            Assert.True(run.GetProperty("completedAt").GetDateTimeOffset() >= run.GetProperty("startedAt").GetDateTimeOffset());
            Assert.True(run.GetProperty("meanRmsse").GetDouble() > 0);
            var forecastStart = ParseDay(run.GetProperty("forecastStart"));

            // The sales flowed in: a forecast's history is what ordering-api reports for the same days.
            var from = forecastStart.AddDays(-90);
            var to = forecastStart.AddDays(-1);
            var sales = await _forecasts.AdminGetAsync($"/api/sales/daily?from={Day(from)}&to={Day(to)}", "ordering-api");
            var top = sales.GetProperty("variants").EnumerateArray()
                .MaxBy(v => v.GetProperty("units").EnumerateArray().Sum(u => u.GetInt32()));
            Assert.True(top.ValueKind == JsonValueKind.Object, "the demo history has sales in the last 90 days");
            var topId = top.GetProperty("variantId").GetInt32();
            var topUnits = top.GetProperty("units").EnumerateArray().Select(u => u.GetInt32()).ToList();
            Assert.True(topUnits.Sum() > 0);

            var forecast = await _forecasts.AdminGetAsync($"/api/forecasts/variants/{topId}?horizon=28&history=90");
            Assert.Equal(topId, forecast.GetProperty("variantId").GetInt32());
            Assert.Equal(run.GetProperty("id").GetInt64(), forecast.GetProperty("runId").GetInt64());
            var history = forecast.GetProperty("history").EnumerateArray().ToList();
            Assert.Equal(90, history.Count);
            Assert.Equal(from, ParseDay(history[0].GetProperty("date")));
            Assert.Equal(to, ParseDay(history[^1].GetProperty("date")));
            Assert.Equal(topUnits, history.Select(h => h.GetProperty("units").GetInt32()));
            Assert.False(forecast.GetProperty("shortHistory").GetBoolean());
            Assert.False(string.IsNullOrEmpty(forecast.GetProperty("model").GetString()));
            var points = forecast.GetProperty("points").EnumerateArray().ToList();
            Assert.Equal(28, points.Count);
            for (var h = 0; h < points.Count; h++)
            {
                var p = points[h];
                Assert.Equal(forecastStart.AddDays(h), ParseDay(p.GetProperty("date")));
                var (l95, l80, mean, u80, u95) = (p.GetProperty("lower95").GetDouble(), p.GetProperty("lower80").GetDouble(),
                    p.GetProperty("mean").GetDouble(), p.GetProperty("upper80").GetDouble(), p.GetProperty("upper95").GetDouble());
                Assert.True(0 <= l95 && l95 <= l80 + 1e-6 && l80 <= mean + 1e-6 && mean <= u80 + 1e-6 && u80 <= u95 + 1e-6, $"bounds out of order: {p}");
            }
            Assert.True(points.Sum(p => p.GetProperty("mean").GetDouble()) > 0, "a selling variant is forecast to sell");

            // A variant added today, never sold, still gets a forecast, which says so.
            var fresh = await _forecasts.AdminGetAsync($"/api/forecasts/variants/{soldOutId}?horizon=7&history=30");
            Assert.True(fresh.GetProperty("shortHistory").GetBoolean());
            Assert.Equal(7, fresh.GetProperty("points").GetArrayLength());
            Assert.All(fresh.GetProperty("history").EnumerateArray(), h => Assert.Equal(0, h.GetProperty("units").GetInt32()));
            Assert.False(string.IsNullOrEmpty(fresh.GetProperty("note").GetString()));
            Assert.All(fresh.GetProperty("points").EnumerateArray(), p => Assert.True(p.GetProperty("upper95").GetDouble() >= p.GetProperty("mean").GetDouble()));
            // A forecast without sales is the same every day (stored once, expanded by the reader): every day from the run's first, zero.
            var freshPoints = fresh.GetProperty("points").EnumerateArray().ToList();
            Assert.Equal(Enumerable.Range(0, 7).Select(forecastStart.AddDays), freshPoints.Select(p => ParseDay(p.GetProperty("date"))));
            Assert.All(freshPoints, p => Assert.Equal(0, p.GetProperty("mean").GetDouble()));
            var unsoldProduct = await _forecasts.AdminGetAsync($"/api/forecasts/products/{product.Id}?horizon=30&history=7");
            Assert.Equal(30, unsoldProduct.GetProperty("points").GetArrayLength());
            Assert.All(unsoldProduct.GetProperty("points").EnumerateArray(), p => Assert.Equal(0, p.GetProperty("mean").GetDouble()));

            // Product totals: the variants summed.
            var productId = forecast.GetProperty("productId").GetInt32();
            var productForecast = await _forecasts.AdminGetAsync($"/api/forecasts/products/{productId}?horizon=14&history=7");
            Assert.Equal("sum", productForecast.GetProperty("model").GetString());
            Assert.Equal(14, productForecast.GetProperty("points").GetArrayLength());
            Assert.Equal(7, productForecast.GetProperty("history").GetArrayLength());
            Assert.True(productForecast.GetProperty("points")[0].GetProperty("mean").GetDouble() >= points[0].GetProperty("mean").GetDouble() - 1e-3);

            // Reorder advice for every active variant, most urgent (least cover beyond the lead time) first.
            var advice = await _forecasts.AdminGetAsync("/api/forecasts/reorder-suggestions?limit=1000");
            Assert.Equal(run.GetProperty("id").GetInt64(), advice.GetProperty("runId").GetInt64());
            Assert.Equal(0.95, advice.GetProperty("serviceLevel").GetDouble());
            var items = advice.GetProperty("items").EnumerateArray().ToList();
            Assert.Equal(Math.Min(1000, active.Count), items.Count);
            var slack = items.Select(i => i.GetProperty("daysOfCover").ValueKind == JsonValueKind.Null
                ? double.PositiveInfinity
                : i.GetProperty("daysOfCover").GetDouble() - Math.Max(1, i.GetProperty("leadTimeDays").GetInt32())).ToList();
            for (var i = 1; i < slack.Count; i++)
            {
                Assert.True(slack[i - 1] <= slack[i] + 0.1, $"suggestions out of order at {i}: {slack[i - 1]} then {slack[i]}");
            }
            foreach (var item in items)
            {
                Assert.True(item.GetProperty("reorderPoint").GetInt32() >= item.GetProperty("safetyStock").GetInt32());
                Assert.True(item.GetProperty("safetyStock").GetInt32() >= 0);
                if (item.GetProperty("available").GetInt32() > item.GetProperty("reorderPoint").GetInt32())
                {
                    Assert.Equal(0, item.GetProperty("suggestedQuantity").GetInt32());
                }
            }
            var topAdvice = items.Single(i => i.GetProperty("variantId").GetInt32() == topId);
            Assert.True(topAdvice.GetProperty("dailyDemand").GetDouble() > 0);
            var stricter = await _forecasts.AdminGetAsync("/api/forecasts/reorder-suggestions?limit=1000&serviceLevel=0.99");
            var topStricter = stricter.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("variantId").GetInt32() == topId);
            Assert.True(topStricter.GetProperty("reorderPoint").GetInt32() >= topAdvice.GetProperty("reorderPoint").GetInt32());

            // Anyone may ask when a sold-out variant comes back: within its lead time.
            using (var estimate = await _forecasts.SendAsync(HttpMethod.Get, $"/api/forecasts/variants/{soldOutId}/restock-estimate"))
            {
                await IdentityClient.ExpectAsync(HttpStatusCode.OK, estimate);
                var body = await IdentityClient.ReadJsonAsync(estimate);
                Assert.True(body.GetProperty("soldOut").GetBoolean());
                Assert.Equal(0, body.GetProperty("available").GetInt32());
                Assert.Equal(21, body.GetProperty("expectedInDays").GetInt32());
                var today = DateOnly.FromDateTime(DateTime.UtcNow);
                Assert.InRange(ParseDay(body.GetProperty("expectedDate")), today.AddDays(21), today.AddDays(22));
                Assert.Contains("21 days", body.GetProperty("basis").GetString());
            }
            using (var inStock = await _forecasts.SendAsync(HttpMethod.Get, $"/api/forecasts/variants/{product.VariantIds[0]}/restock-estimate"))
            {
                await IdentityClient.ExpectAsync(HttpStatusCode.OK, inStock);
                var body = await IdentityClient.ReadJsonAsync(inStock);
                Assert.False(body.GetProperty("soldOut").GetBoolean());
                Assert.Equal(6, body.GetProperty("available").GetInt32());
                Assert.Equal(JsonValueKind.Null, body.GetProperty("expectedInDays").ValueKind);
            }
        }
        finally
        {
            await _catalog.ArchiveAsync(product);
        }
    }

    public static TheoryData<string, string> ProtectedEndpoints => new()
    {
        { "GET", "/api/forecasts/variants/1" },
        { "GET", "/api/forecasts/products/1" },
        { "GET", "/api/forecasts/reorder-suggestions" },
        { "GET", "/api/forecasts/runs/latest" },
        { "GET", "/api/forecasts/runs/1" },
        { "POST", "/api/forecasts/runs" },
    };

    [Theory]
    [MemberData(nameof(ProtectedEndpoints))]
    public async Task Customers_cannot_read_forecasts_or_start_runs_and_anonymous_callers_must_sign_in(string method, string path)
    {
        using (var anonymous = await _forecasts.SendAsync(new HttpMethod(method), path))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }
        using var customer = await _forecasts.SendAsync(new HttpMethod(method), path, await _forecasts.CustomerTokenAsync());
        Assert.Equal(HttpStatusCode.Forbidden, customer.StatusCode);
    }

    [Theory]
    [InlineData("/api/forecasts/variants/1?horizon=0", "horizon")]
    [InlineData("/api/forecasts/variants/1?horizon=abc", "horizon")]
    [InlineData("/api/forecasts/variants/1?horizon=91", "horizon")]
    [InlineData("/api/forecasts/variants/1?history=-1", "history")]
    [InlineData("/api/forecasts/products/1?history=100000", "history")]
    [InlineData("/api/forecasts/reorder-suggestions?limit=0", "limit")]
    [InlineData("/api/forecasts/reorder-suggestions?serviceLevel=2", "serviceLevel")]
    [InlineData("/api/forecasts/reorder-suggestions?serviceLevel=high", "serviceLevel")]
    [InlineData("/api/forecasts/reorder-suggestions?serviceLevel=NaN", "serviceLevel")]
    public async Task Bad_query_values_are_400_naming_the_field(string path, string field)
    {
        using var response = await _forecasts.SendAsync(HttpMethod.Get, path, await _forecasts.AdminTokenAsync());
        Assert.Contains(field, (await IdentityClient.ValidationErrorsAsync(response)).Keys);
    }

    [Theory]
    [InlineData("/api/forecasts/variants/999999999")]
    [InlineData("/api/forecasts/products/999999999")]
    [InlineData("/api/forecasts/runs/999999999")]
    [InlineData("/api/forecasts/variants/abc")]
    public async Task Unknown_ids_are_404_problems(string path)
    {
        using var response = await _forecasts.SendAsync(HttpMethod.Get, path, await _forecasts.AdminTokenAsync());
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_restock_estimate_of_an_unknown_variant_is_404_for_anyone()
    {
        using var response = await _forecasts.SendAsync(HttpMethod.Get, "/api/forecasts/variants/999999999/restock-estimate");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
