using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using ServiceDefaults.Tests.Infrastructure;
using StackExchange.Redis;
using Storefront.Model;
using Storefront.Services;

namespace Storefront.Tests;

/// <summary>The storefront's live stock: on a real redis-server, subscribed only while a page watches.</summary>
public sealed class StockEventsTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_watching_page_gets_its_products_changes_and_with_no_page_watching_nothing_is_subscribed()
    {
        Assert.SkipUnless(RedisServer.IsInstalled, "redis-server is not installed");
        await using var server = new RedisServer();
        await server.StartAsync();
        using var redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var events = new StockEvents(redis, NullLogger<StockEvents>.Instance);
        Assert.Equal(0, await SubscribersAsync(redis));

        var seen = new List<StockChanged>();
        var tent = events.Watch(7, change => { lock (seen) { seen.Add(change); } return Task.CompletedTask; });
        var boots = events.Watch(8, _ => Task.CompletedTask);
        await WaitForSubscribersAsync(redis, 1);

        await PublishAsync(redis, productId: 9, available: 1); // a product no page shows
        await PublishAsync(redis, productId: 7, available: 3);
        await Until(() => { lock (seen) { return seen.Count > 0; } });
        var only = Assert.Single(seen);
        Assert.Equal((7, 3), (only.ProductId, only.Available));

        tent.Dispose();
        Assert.Equal(1, await SubscribersAsync(redis)); // the boots page still watches
        boots.Dispose();
        await WaitForSubscribersAsync(redis, 0);

        // A page opened again subscribes again.
        var again = events.Watch(7, _ => Task.CompletedTask);
        await WaitForSubscribersAsync(redis, 1);

        // The last page closes and another opens at once, while the unsubscribe is still under way: the new page
        // still gets its changes (published until one arrives, as one sent between unsubscribe and subscribe is lost).
        again.Dispose();
        var delivered = 0;
        using var reopened = events.Watch(7, _ => { Interlocked.Increment(ref delivered); return Task.CompletedTask; });
        await Until(async () =>
        {
            await PublishAsync(redis, productId: 7, available: 2);
            return Volatile.Read(ref delivered) > 0;
        }, () => "a page opened while the last one's unsubscribe was under way got no changes");
        Assert.Equal(1, await SubscribersAsync(redis));
    }

    private static Task PublishAsync(IConnectionMultiplexer redis, int productId, int available) =>
        redis.GetSubscriber().PublishAsync(RedisChannel.Literal(StockEvents.Channel), JsonSerializer.Serialize(
            new StockChanged(productId * 10, productId, $"SKU-{productId}", available + 2, 2, available, "reserved", DateTimeOffset.UtcNow),
            new JsonSerializerOptions(JsonSerializerDefaults.Web))); // as CatalogApi publishes it

    private static async Task<long> SubscribersAsync(IConnectionMultiplexer redis)
    {
        var answer = (RedisResult[])(await redis.GetDatabase().ExecuteAsync("PUBSUB", "NUMSUB", StockEvents.Channel))!;
        return (long)answer[1];
    }

    private static async Task WaitForSubscribersAsync(IConnectionMultiplexer redis, long expected)
    {
        var count = -1L;
        await Until(async () => (count = await SubscribersAsync(redis)) == expected, () => $"subscribers: {count}, expected {expected}");
    }

    private static Task Until(Func<bool> condition) => Until(() => Task.FromResult(condition()), () => "the change was not delivered");

    private static async Task Until(Func<Task<bool>> condition, Func<string> failure)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(10); DateTime.UtcNow < deadline; await Task.Delay(20, Cancel))
        {
            if (await condition())
            {
                return;
            }
        }
        Assert.Fail(failure());
    }
}
