using System.Collections.Concurrent;
using System.Text.Json;
using ECommerce.IntegrationTests.Infrastructure;
using StackExchange.Redis;

namespace ECommerce.IntegrationTests.Catalog;

/// <summary>Stock changes are published on Redis (channel catalog:stock) for live availability in the storefront.</summary>
[Collection(AppCollection.Name)]
public sealed class StockEventsTests(AppFixture fixture)
{
    private readonly CatalogClient _catalog = new(fixture.App);

    [Fact]
    public async Task Every_stock_change_is_published_with_the_new_availability()
    {
        var product = await _catalog.CreateProductAsync([7]);
        var variant = product.VariantIds[0];
        var options = ConfigurationOptions.Parse(fixture.App.GetConnectionString("redis"));
        options.AbortOnConnectFail = false;
        using var redis = await ConnectionMultiplexer.ConnectAsync(options);
        var received = new ConcurrentQueue<JsonElement>();
        // A message queue hands messages over one at a time in the order published (a plain handler may run them concurrently).
        var queue = await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal("catalog:stock"));
        queue.OnMessage(message =>
        {
            var json = JsonSerializer.Deserialize<JsonElement>((string)message.Message!);
            if (json.GetProperty("variantId").GetInt32() == variant)
            {
                received.Enqueue(json);
            }
        });
        try
        {
            var id = await _catalog.ReserveOkAsync("cart:events", [(variant, 3)]);
            await _catalog.AdminJsonAsync(HttpMethod.Post, $"/api/stock/reservations/{id}/commit", new { });
            await _catalog.AdminJsonAsync(HttpMethod.Post, $"/api/stock/variants/{variant}/adjustments", new { quantity = 10, kind = "receipt", reason = "Delivery" });

            var events = await Eventually.ReturnsAsync(() => Task.FromResult(received.ToArray()), e => e.Length >= 3, TimeSpan.FromSeconds(10), "three stock events");
            Assert.Equal(
                [("reserved", 7, 3, 4), ("committed", 4, 0, 4), ("receipt", 14, 0, 14)],
                events.Select(e => (e.GetProperty("change").GetString(), e.GetProperty("onHand").GetInt32(), e.GetProperty("reserved").GetInt32(), e.GetProperty("available").GetInt32())));
            Assert.All(events, e => Assert.Equal(product.Id, e.GetProperty("productId").GetInt32()));
        }
        finally
        {
            await _catalog.ArchiveAsync(product);
        }
    }
}
