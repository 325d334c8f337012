using System.Text.Json;
using StackExchange.Redis;
using Storefront.Model;

namespace Storefront.Services;

/// <summary>
/// Listens to CatalogApi's stock changes (Redis channel <c>catalog:stock</c>) once for the whole storefront and hands
/// each to the pages that watch that product, so a product page shows "only 3 left" as it changes. The storefront is
/// subscribed only while some page watches: with no product page open, the shop's sales send it nothing.
/// </summary>
public sealed partial class StockEvents(IConnectionMultiplexer redis, ILogger<StockEvents> logger)
{
    public const string Channel = "catalog:stock";

    private readonly Lock _lock = new();
    private readonly Dictionary<int, List<Func<StockChanged, Task>>> _watchers = [];
    private readonly SemaphoreSlim _subscribing = new(1, 1);
    private volatile bool _subscribed;
    private ChannelMessageQueue? _messages;

    /// <summary>Calls <paramref name="onChange"/> for each stock change of the product until the result is disposed.</summary>
    public IDisposable Watch(int productId, Func<StockChanged, Task> onChange)
    {
        bool first;
        lock (_lock)
        {
            first = _watchers.Count == 0;
            if (!_watchers.TryGetValue(productId, out var list))
            {
                _watchers[productId] = list = [];
            }
            list.Add(onChange);
        }
        // The first watcher always asks: an unsubscribe still under way (the last page just closed) has not yet
        // cleared _subscribed, and would otherwise leave this page unsubscribed.
        if (first || !_subscribed)
        {
            _ = SubscribeAsWantedAsync();
        }
        return new Subscription(() =>
        {
            bool nobodyLeft;
            lock (_lock)
            {
                if (_watchers.TryGetValue(productId, out var list) && list.Remove(onChange) && list.Count == 0)
                {
                    _watchers.Remove(productId);
                }
                nobodyLeft = _watchers.Count == 0;
            }
            if (nobodyLeft)
            {
                _ = SubscribeAsWantedAsync();
            }
        });
    }

    /// <summary>
    /// Subscribes when some page watches and unsubscribes when none does, one change at a time, each time from the
    /// watchers as they are then (so calls that cross each other end in the right state). A failure (Redis down) is
    /// logged, and the next page that watches tries again.
    /// </summary>
    private async Task SubscribeAsWantedAsync()
    {
        await _subscribing.WaitAsync();
        try
        {
            bool wanted;
            lock (_lock)
            {
                wanted = _watchers.Count > 0;
            }
            if (wanted == _subscribed)
            {
                return;
            }
            if (wanted)
            {
                // A queue hands the changes over one at a time, in the order published (a handler would be called
                // concurrently, and a page could show an older count after a newer one).
                _messages = await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(Channel));
                _messages.OnMessage(message => Publish(message.Message));
            }
            else if (_messages is { } messages)
            {
                await messages.UnsubscribeAsync();
                _messages = null;
            }
            _subscribed = wanted;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogSubscribeFailed(e);
        }
        finally
        {
            _subscribing.Release();
        }
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

    [LoggerMessage(LogLevel.Warning, "Subscribing to (or unsubscribing from) catalog:stock failed: open product pages may not update live")]
    private partial void LogSubscribeFailed(Exception exception);
}
