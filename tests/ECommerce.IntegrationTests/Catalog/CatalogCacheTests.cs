using System.Net;
using ECommerce.IntegrationTests.Infrastructure;

namespace ECommerce.IntegrationTests.Catalog;

/// <summary>Reads are cached (memory, then Redis); no read ever shows a price or a stock level from before a change.</summary>
[Collection(AppCollection.Name)]
public sealed class CatalogCacheTests(AppFixture fixture)
{
    private readonly CatalogClient _catalog = new(fixture.App);

    private async Task<(decimal Price, int Available)> DetailAsync(TestProduct product)
    {
        var variant = (await _catalog.GetJsonAsync($"/api/catalog/products/{product.Id}")).GetProperty("variants")[0];
        return (variant.GetProperty("price").GetDecimal(), variant.GetProperty("available").GetInt32());
    }

    private async Task<(decimal PriceFrom, bool InStock)> ListedAsync(TestProduct product)
    {
        var item = (await _catalog.ListAsync($"q={product.Token}")).GetProperty("items")[0];
        return (item.GetProperty("priceFrom").GetDecimal(), item.GetProperty("inStock").GetBoolean());
    }

    [Fact]
    public async Task A_new_price_is_served_as_soon_as_it_is_saved()
    {
        var product = await _catalog.CreateProductAsync([5], price: 40m);
        try
        {
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal((40m, 5), await DetailAsync(product)); // cached after the first read
                Assert.Equal((40m, true), await ListedAsync(product));
            }
            foreach (var price in new[] { 35.5m, 44.99m, 12m })
            {
                await _catalog.AdminJsonAsync(HttpMethod.Put, $"/api/catalog/variants/{product.VariantIds[0]}", new { price });
                Assert.Equal((price, 5), await DetailAsync(product));
                Assert.Equal((price, true), await ListedAsync(product));
                var sorted = await _catalog.ListAsync($"category={CatalogClient.TestCategory}&sort=price-asc&pageSize=100");
                Assert.Equal(price, sorted.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetInt32() == product.Id).GetProperty("priceFrom").GetDecimal());
            }
        }
        finally
        {
            await _catalog.ArchiveAsync(product);
        }
    }

    [Fact]
    public async Task A_stock_change_is_served_as_soon_as_it_happens()
    {
        var product = await _catalog.CreateProductAsync([3]);
        var variant = product.VariantIds[0];
        try
        {
            Assert.Equal((25m, 3), await DetailAsync(product));
            Assert.Equal((25m, true), await ListedAsync(product));

            var first = await _catalog.ReserveOkAsync("cart:cache", [(variant, 1)]);
            Assert.Equal(2, (await DetailAsync(product)).Available);
            var rest = await _catalog.ReserveOkAsync("cart:cache", [(variant, 2)]);
            Assert.Equal(0, (await DetailAsync(product)).Available);
            Assert.False((await ListedAsync(product)).InStock);
            Assert.Equal(0, (await _catalog.ListAsync($"q={product.Token}&inStock=true")).GetProperty("total").GetInt32());

            using (var released = await _catalog.AsAdminAsync(HttpMethod.Delete, $"/api/stock/reservations/{first}"))
            {
                Assert.Equal(HttpStatusCode.NoContent, released.StatusCode);
            }
            Assert.Equal(1, (await DetailAsync(product)).Available);
            Assert.True((await ListedAsync(product)).InStock);
            Assert.Equal(1, (await _catalog.ListAsync($"q={product.Token}&inStock=true")).GetProperty("total").GetInt32());

            await _catalog.AdminJsonAsync(HttpMethod.Post, $"/api/stock/reservations/{rest}/commit", new { });
            Assert.Equal(1, (await DetailAsync(product)).Available);
            await _catalog.AdminJsonAsync(HttpMethod.Put, $"/api/stock/variants/{variant}", new { onHand = 0, reason = "Write-off" });
            Assert.Equal(0, (await DetailAsync(product)).Available);
            Assert.False((await ListedAsync(product)).InStock);
        }
        finally
        {
            await _catalog.ArchiveAsync(product);
        }
    }

    [Fact]
    public async Task Reads_work_while_redis_is_down_and_nothing_stale_is_served_once_it_is_back()
    {
        var app = fixture.App;
        var product = await _catalog.CreateProductAsync([6], price: 50m);
        await _catalog.AdminTokenAsync();
        try
        {
            // Warm every layer.
            Assert.Equal((50m, 6), await DetailAsync(product));
            Assert.Equal((50m, true), await ListedAsync(product));

            await app.StopResourceAsync("redis");
            try
            {
                Assert.Equal((50m, 6), await DetailAsync(product));
                Assert.True((await _catalog.ListAsync("pageSize=5")).GetProperty("total").GetInt32() >= 150);
                using (var categories = await _catalog.SendAsync(HttpMethod.Get, "/api/catalog/categories"))
                {
                    Assert.Equal(HttpStatusCode.OK, categories.StatusCode);
                }

                // Writes made while Redis is away...
                await _catalog.AdminJsonAsync(HttpMethod.Put, $"/api/catalog/variants/{product.VariantIds[0]}", new { price = 45m });
                await _catalog.ReserveOkAsync("cart:no-redis", [(product.VariantIds[0], 2)]);
                Assert.Equal((45m, 4), await DetailAsync(product));
                Assert.Equal((45m, true), await ListedAsync(product));
            }
            finally
            {
                await app.StartResourceAsync("redis");
            }
            await app.WaitForStateAsync("redis", ResourceState.Healthy, TimeSpan.FromSeconds(60));
            var catalog = app.CreateHttpClient(CatalogClient.Service);
            await Eventually.ReturnsAsync(async () => (await catalog.GetAsync("/health", CatalogClient.Cancellation)).StatusCode,
                status => status == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "catalog-api healthy again");

            // ...are never undone by what Redis kept from before the outage.
            for (var i = 0; i < 5; i++)
            {
                Assert.Equal((45m, 4), await DetailAsync(product));
                Assert.Equal((45m, true), await ListedAsync(product));
                await Task.Delay(300, CatalogClient.Cancellation);
            }
            await app.WaitForStateAsync(CatalogClient.Service, ResourceState.Healthy, TimeSpan.FromSeconds(30));
        }
        finally
        {
            await _catalog.ArchiveAsync(product);
        }
    }
}
