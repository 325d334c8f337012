using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Npgsql;
using StackExchange.Redis;

namespace OrderingApi.Services;

/// <summary>
/// Keeps favourites' "back in stock" marks in step with the catalog's stock changes (Redis channel <c>catalog:stock</c>),
/// so a product that sold out and came back while its fans never looked at their list still shows the badge.
/// <para>
/// An event names one variant, and a product is sold out only when all its variants are, so the changed products are
/// gathered for <see cref="FavouriteStockSettings.Debounce"/>; those someone favourited are then asked of the catalog in
/// one call per 100 (<c>/api/catalog/availability</c>, uncached) and recorded for every customer at once in one
/// statement: sold out seen (<c>sold_out_seen_at</c>) when nothing can be bought, back in stock (<c>back_in_stock_at</c>)
/// when something can again after that, as a look at the list would (<see cref="Model.FavouriteStock.Seen"/>).
/// </para>
/// <para>
/// Every replica does this: the update only changes rows whose marks differ from what was seen, and never with a
/// sighting older than the row's last mark or than the favourite, so repeats and late sightings change nothing. A missed
/// event (Redis down, the service restarting) only means the list's own look notices the change, as before.
/// </para>
/// </summary>
public sealed partial class FavouriteStockWatcher(
    IConnectionMultiplexer redis,
    [FromKeyedServices("orderingdb")] NpgsqlDataSource dataSource,
    IServiceScopeFactory scopeFactory,
    IOptions<FavouriteStockSettings> settings,
    TimeProvider timeProvider,
    ILogger<FavouriteStockWatcher> logger) : BackgroundService
{
    public const string Channel = "catalog:stock";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Lock _lock = new();
    private readonly HashSet<int> _changed = [];

    // One pending wake-up at most: a burst of events is one batch.
    private readonly Channel<bool> _wake = System.Threading.Channels.Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = settings.Value;
        if (!options.Enabled)
        {
            return;
        }
        await SubscribeAsync(options.RetryInterval, stoppingToken);
        try
        {
            while (await _wake.Reader.WaitToReadAsync(stoppingToken))
            {
                _wake.Reader.TryRead(out _);
                await Task.Delay(options.Debounce, timeProvider, stoppingToken);
                int[] products;
                lock (_lock)
                {
                    products = [.. _changed];
                    _changed.Clear();
                }
                try
                {
                    await RecordAsync(products, stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    LogRecordFailed(e, products.Length, options.RetryInterval.TotalSeconds);
                    await Task.Delay(options.RetryInterval, timeProvider, stoppingToken);
                    Changed(products);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Subscribes once (StackExchange.Redis subscribes again by itself after a lost connection); while Redis cannot be
    /// reached, tries again every <paramref name="retryInterval"/>.
    /// </summary>
    private async Task SubscribeAsync(TimeSpan retryInterval, CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(Channel), (_, message) => OnMessage(message));
                return;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                LogSubscribeFailed(e, retryInterval.TotalSeconds);
                await Task.Delay(retryInterval, timeProvider, stoppingToken);
            }
        }
    }

    private void OnMessage(RedisValue message)
    {
        try
        {
            if (JsonSerializer.Deserialize<StockChange>(message.ToString(), Json) is { ProductId: > 0 } change)
            {
                Changed([change.ProductId]);
            }
        }
        catch (JsonException)
        {
            // Not a stock change this service understands: nothing to record.
        }
    }

    private void Changed(IEnumerable<int> productIds)
    {
        lock (_lock)
        {
            _changed.UnionWith(productIds);
        }
        _wake.Writer.TryWrite(true);
    }

    /// <summary>
    /// Asks the catalog for the stock of the <paramref name="productIds"/> someone favourited and records it on their
    /// favourites; returns how many favourites changed.
    /// </summary>
    public async Task<int> RecordAsync(IReadOnlyCollection<int> productIds, CancellationToken cancellationToken)
    {
        if (productIds.Count == 0)
        {
            return 0;
        }
        var favourited = new List<int>();
        await using (var command = dataSource.CreateCommand("SELECT DISTINCT product_id FROM favourites WHERE product_id = ANY(@products)"))
        {
            command.Parameters.AddWithValue("products", productIds.ToArray());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                favourited.Add(reader.GetInt32(0));
            }
        }
        var changed = 0;
        await using var scope = scopeFactory.CreateAsyncScope();
        var catalog = scope.ServiceProvider.GetRequiredService<CatalogClient>();
        foreach (var batch in favourited.Chunk(FavouritesService.Limit))
        {
            var seenAt = timeProvider.GetUtcNow(); // before the read: a mark is never later than what it saw
            var stock = await catalog.GetAvailabilityAsync(batch, cancellationToken);
            changed += await SaveAsync(stock, seenAt, cancellationToken);
        }
        if (changed > 0)
        {
            LogRecorded(changed, favourited.Count);
        }
        return changed;
    }

    /// <summary>
    /// One statement for every customer's favourite of these products. Sold out: marked seen sold out now, unless it
    /// already is (and not back since). Available: marked back in stock now, if it was seen sold out and is not marked
    /// back yet. A sighting older than the favourite or its last mark changes nothing (another replica saw later).
    /// </summary>
    private async Task<int> SaveAsync(IReadOnlyList<CatalogProductAvailability> stock, DateTimeOffset seenAt, CancellationToken cancellationToken)
    {
        if (stock.Count == 0)
        {
            return 0;
        }
        await using var command = dataSource.CreateCommand("""
            UPDATE favourites f
            SET sold_out_seen_at = CASE WHEN s.in_stock THEN f.sold_out_seen_at ELSE @seenAt END,
                back_in_stock_at = CASE WHEN s.in_stock THEN @seenAt END
            FROM unnest(@products, @inStock) AS s(product_id, in_stock)
            WHERE f.product_id = s.product_id
              AND CASE WHEN s.in_stock
                  THEN f.back_in_stock_at IS NULL AND f.sold_out_seen_at < @seenAt
                  ELSE (f.sold_out_seen_at IS NULL OR f.back_in_stock_at IS NOT NULL)
                       AND coalesce(f.back_in_stock_at, f.added_at) < @seenAt
                  END
            """);
        command.Parameters.AddWithValue("products", stock.Select(p => p.Id).ToArray());
        command.Parameters.AddWithValue("inStock", stock.Select(p => p.InStock).ToArray());
        command.Parameters.AddWithValue("seenAt", seenAt);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The one field of a <c>catalog:stock</c> event this needs.</summary>
    private sealed record StockChange(int ProductId);

    [LoggerMessage(LogLevel.Information, "Stock changes recorded on {Favourites} favourite(s) of {Products} favourited product(s)")]
    private partial void LogRecorded(int favourites, int products);

    [LoggerMessage(LogLevel.Warning, "Recording the stock of {Products} changed product(s) on favourites failed; trying again in {Seconds} s")]
    private partial void LogRecordFailed(Exception exception, int products, double seconds);

    [LoggerMessage(LogLevel.Warning, "Subscribing to catalog:stock failed (favourites notice stock changes when their list is looked at); trying again in {Seconds} s")]
    private partial void LogSubscribeFailed(Exception exception, double seconds);
}
