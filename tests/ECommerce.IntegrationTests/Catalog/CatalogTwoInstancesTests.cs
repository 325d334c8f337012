using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ECommerce.IntegrationTests.Identity;
using ECommerce.IntegrationTests.Infrastructure;

namespace ECommerce.IntegrationTests.Catalog;

/// <summary>Two catalog-api instances on the same PostgreSQL and Redis: stock is still never oversold, caches still agree.</summary>
[Collection(AppCollection.Name)]
public sealed class CatalogTwoInstancesTests(AppFixture fixture)
{
    private readonly CatalogClient _catalog = new(fixture.App);

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string? token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        return await client.SendAsync(request, CatalogClient.Cancellation);
    }

    private static async Task<(decimal Price, int Available)> DetailAsync(HttpClient client, int productId)
    {
        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{productId}", CatalogClient.Cancellation);
        var variant = detail.GetProperty("variants")[0];
        return (variant.GetProperty("price").GetDecimal(), variant.GetProperty("available").GetInt32());
    }

    [Fact]
    public async Task Reservations_split_across_two_instances_still_hold_exactly_what_is_there_and_caches_agree()
    {
        var product = await _catalog.CreateProductAsync([40], price: 30m);
        var variant = product.VariantIds[0];
        var admin = await _catalog.AdminTokenAsync();
        var first = fixture.App.CreateHttpClient(CatalogClient.Service);
        await using var second = await SecondInstance.StartAsync(fixture.App, CatalogClient.Service);
        try
        {
            // Both instances have the product in memory.
            for (var i = 0; i < 2; i++)
            {
                Assert.Equal((30m, 40), await DetailAsync(first, product.Id));
                Assert.Equal((30m, 40), await DetailAsync(second.Client, product.Id));
            }

            var results = await Task.WhenAll(Enumerable.Range(0, 120).Select(async i =>
            {
                using var response = await SendAsync(i % 2 == 0 ? first : second.Client, HttpMethod.Post, "/api/stock/reservations", admin,
                    new { owner = $"cart:two-{i}", lines = new[] { new { variantId = variant, quantity = 1 } } });
                return response.StatusCode;
            }));
            Assert.Equal(40, results.Count(s => s == HttpStatusCode.Created));
            Assert.Equal(80, results.Count(s => s == HttpStatusCode.Conflict));
            var stock = await _catalog.StockAsync(variant);
            Assert.Equal((40, 40), (stock.GetProperty("onHand").GetInt32(), stock.GetProperty("reserved").GetInt32()));

            // A change made through one instance is what the other serves (it hears the invalidation on Redis).
            using (var priced = await SendAsync(first, HttpMethod.Put, $"/api/catalog/variants/{variant}", admin, new { price = 27.5m }))
            {
                await IdentityClient.ExpectAsync(HttpStatusCode.OK, priced);
            }
            Assert.Equal((27.5m, 0), await Eventually.ReturnsAsync(() => DetailAsync(second.Client, product.Id), d => d == (27.5m, 0),
                TimeSpan.FromSeconds(2), "the second instance to serve the new price"));
            Assert.Equal((27.5m, 0), await DetailAsync(first, product.Id));
        }
        finally
        {
            await _catalog.ArchiveAsync(product);
        }
    }
}
