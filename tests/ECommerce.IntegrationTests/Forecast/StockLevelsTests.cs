using System.Net;
using ECommerce.IntegrationTests.Catalog;
using ECommerce.IntegrationTests.Identity;
using ECommerce.IntegrationTests.Infrastructure;

namespace ECommerce.IntegrationTests.Forecast;

/// <summary>catalog-api's <c>GET /api/stock/levels</c>: every variant's stock and reorder settings, for the forecaster.</summary>
[Collection(AppCollection.Name)]
public sealed class StockLevelsTests(AppFixture fixture)
{
    private readonly CatalogClient _catalog = new(fixture.App);

    [Fact]
    public async Task Admins_page_through_every_variant_and_can_ask_for_some()
    {
        var product = await _catalog.CreateProductAsync([4, 0], reorderPoint: 3);
        try
        {
            var first = await _catalog.AdminJsonAsync(HttpMethod.Get, "/api/stock/levels?page=1&pageSize=5", null);
            Assert.Equal(5, first.GetProperty("items").GetArrayLength());
            Assert.True(first.GetProperty("total").GetInt32() > 5);
            var ids = first.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("variantId").GetInt32()).ToList();
            Assert.Equal(ids.Order(), ids);
            var second = await _catalog.AdminJsonAsync(HttpMethod.Get, "/api/stock/levels?page=2&pageSize=5", null);
            Assert.True(second.GetProperty("items")[0].GetProperty("variantId").GetInt32() > ids[^1]);
            // The same second page by the last id of the first (how the forecaster walks the catalog), with the same total.
            var after = await _catalog.AdminJsonAsync(HttpMethod.Get, $"/api/stock/levels?afterId={ids[^1]}&pageSize=5", null);
            Assert.Equal(
                second.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("variantId").GetInt32()),
                after.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("variantId").GetInt32()));
            Assert.Equal(first.GetProperty("total").GetInt32(), after.GetProperty("total").GetInt32());
            using (var both = await _catalog.AsAdminAsync(HttpMethod.Get, "/api/stock/levels?afterId=3&page=2"))
            {
                Assert.Equal(HttpStatusCode.BadRequest, both.StatusCode);
            }
            using (var bad = await _catalog.AsAdminAsync(HttpMethod.Get, "/api/stock/levels?afterId=-1"))
            {
                Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            }

            var some = await _catalog.AdminJsonAsync(HttpMethod.Get, $"/api/stock/levels?ids={product.VariantIds[0]},{product.VariantIds[1]}", null);
            var items = some.GetProperty("items").EnumerateArray().ToList();
            Assert.Equal(product.VariantIds, items.Select(i => i.GetProperty("variantId").GetInt32()));
            Assert.Equal([4, 0], items.Select(i => i.GetProperty("available").GetInt32()));
            Assert.All(items, i =>
            {
                Assert.Equal(product.Id, i.GetProperty("productId").GetInt32());
                Assert.Equal(product.Name, i.GetProperty("productName").GetString());
                Assert.Equal(3, i.GetProperty("reorderPoint").GetInt32());
                Assert.True(i.GetProperty("leadTimeDays").GetInt32() >= 0);
                Assert.False(i.GetProperty("archived").GetBoolean());
                Assert.InRange(i.GetProperty("createdAt").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMinutes(1));
                Assert.False(string.IsNullOrEmpty(i.GetProperty("options").GetProperty("Size").GetString()));
            });

            await _catalog.ArchiveAsync(product);
            var archived = await _catalog.AdminJsonAsync(HttpMethod.Get, $"/api/stock/levels?ids={product.VariantIds[0]}", null);
            Assert.True(archived.GetProperty("items")[0].GetProperty("archived").GetBoolean());
        }
        finally
        {
            using var _ = await _catalog.AsAdminAsync(HttpMethod.Delete, $"/api/catalog/products/{product.Id}");
        }
    }

    [Theory]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=1001", "pageSize")]
    [InlineData("page=0", "page")]
    [InlineData("ids=1,abc", "ids")]
    [InlineData("ids=-4", "ids")]
    public async Task Bad_arguments_are_400(string query, string field)
    {
        using var response = await _catalog.AsAdminAsync(HttpMethod.Get, "/api/stock/levels?" + query);
        Assert.Contains(field, (await IdentityClient.ValidationErrorsAsync(response)).Keys);
    }

    [Fact]
    public async Task Customers_and_anonymous_callers_cannot_read_stock_levels()
    {
        using (var anonymous = await _catalog.SendAsync(HttpMethod.Get, "/api/stock/levels"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }
        using var customer = await _catalog.SendAsync(HttpMethod.Get, "/api/stock/levels", await _catalog.CustomerTokenAsync());
        Assert.Equal(HttpStatusCode.Forbidden, customer.StatusCode);
    }
}
