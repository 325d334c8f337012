using System.Text.Json;
using CatalogApi.Model;
using StackExchange.Redis;

namespace CatalogApi.Services;

/// <summary>A variant's stock right after a change, and how much was available before it.</summary>
public sealed record VariantStock(int VariantId, int ProductId, string Sku, int OnHand, int Reserved, int AvailableBefore)
{
    public int Available => OnHand - Reserved;

    /// <summary>Went from none to some or from some to none: "in stock" changes in listings.</summary>
    public bool CrossedZero => (AvailableBefore > 0) != (Available > 0);
}

/// <summary>
/// What every write does once it is committed: drop the cached reads it made stale (before answering), and tell
/// listeners (the storefront's live availability) on the Redis channel <c>catalog:stock</c>.
/// </summary>
public sealed partial class StockNotifier(CatalogCache cache, IConnectionMultiplexer redis, TimeProvider timeProvider, ILogger<StockNotifier> logger)
{
    public const string StockChannel = "catalog:stock";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// After a stock change: the products' details always change (availability); listings change when a variant
    /// went in or out of stock, or when <paramref name="listsChanged"/> (e.g. a sale moves the best-selling order).
    /// </summary>
    public async Task StockChangedAsync(IReadOnlyList<VariantStock> changes, string change, bool listsChanged = false)
    {
        if (changes.Count == 0)
        {
            return;
        }
        await cache.InvalidateAsync([.. changes.Select(c => c.ProductId).Distinct()], listsChanged || changes.Any(c => c.CrossedZero));
        if (!redis.IsConnected)
        {
            LogNotPublished(changes.Count);
            return;
        }
        try
        {
            var subscriber = redis.GetSubscriber();
            var at = timeProvider.GetUtcNow();
            foreach (var c in changes)
            {
                var message = JsonSerializer.Serialize(new StockChanged(c.VariantId, c.ProductId, c.Sku, c.OnHand, c.Reserved, c.Available, change, at), Json);
                await subscriber.PublishAsync(RedisChannel.Literal(StockChannel), message, CommandFlags.FireAndForget);
            }
        }
        catch (RedisException e)
        {
            LogPublishFailed(e);
        }
    }

    /// <summary>After an admin write to a product (text, options, prices, variants): its detail and every list.</summary>
    public Task ProductChangedAsync(int productId) => cache.InvalidateAsync([productId], lists: true);

    [LoggerMessage(LogLevel.Debug, "Redis is not connected: {Count} stock changes not published")]
    private partial void LogNotPublished(int count);

    [LoggerMessage(LogLevel.Warning, "Could not publish stock changes")]
    private partial void LogPublishFailed(Exception exception);
}
