using System.Text.Json;
using StackExchange.Redis;
using Storefront.Model;

namespace Storefront.Services;

/// <summary>
/// Listens to CatalogApi's stock changes (Redis channel <c>catalog:stock</c>) once for the whole storefront and hands
/// each to the pages that watch that product, so a product page shows "only 3 left" as it changes.
/// </summary>
public sealed partial class StockEvents(IConnectionMultiplexer redis, ILogger<StockEvents> logger) : IHostedService
{
    public const string Channel = "catalog:stock";

    private readonly Lock _lock = new();
    private readonly Dictionary<int, List<Func<StockChanged, Task>>> _watchers = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Subscribe in the background: the shop starts (and serves) even while Redis is down.
        _ = Task.Run(async () =>
        {
            try
            {
                await redis.GetSubscriber().SubscribeAsync(Channel, (_, message) => Publish(message));
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                LogSubscribeFailed(e);
            }
        }, CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Calls <paramref name="onChange"/> for each stock change of the product until the result is disposed.</summary>
    public IDisposable Watch(int productId, Func<StockChanged, Task> onChange)
    {
        lock (_lock)
        {
            if (!_watchers.TryGetValue(productId, out var list))
            {
                _watchers[productId] = list = [];
            }
            list.Add(onChange);
        }
        return new Subscription(() =>
        {
            lock (_lock)
            {
                if (_watchers.TryGetValue(productId, out var list) && list.Remove(onChange) && list.Count == 0)
                {
                    _watchers.Remove(productId);
                }
            }
        });
    }

    private void Publish(RedisValue message)
    {
        StockChanged? change;
        try
        {
            change = JsonSerializer.Deserialize<StockChanged>(message.ToString(), BackendClient.Json);
        }
        catch (JsonException)
        {
            return;
        }
        if (change is null)
        {
            return;
        }
        Func<StockChanged, Task>[] targets;
        lock (_lock)
        {
            targets = _watchers.TryGetValue(change.ProductId, out var list) ? [.. list] : [];
        }
        foreach (var target in targets)
        {
            _ = target(change);
        }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }

    [LoggerMessage(LogLevel.Warning, "Subscribing to catalog:stock failed: product pages will not update live")]
    private partial void LogSubscribeFailed(Exception exception);
}
