using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CatalogApi.Infrastructure;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CatalogApi.Services;

/// <summary>
/// The read cache: this instance's memory in front of Redis in front of PostgreSQL.
/// <para>
/// Entries are never updated, only made unreachable. Each key carries generation numbers: one per product (its
/// detail), one for everything list-shaped (listings, facets, categories, brands, slugs), and an epoch over all.
/// A write bumps the generations it affects, in Redis (hash <c>catalog:gen</c>) and then in this process, before it
/// answers, and announces the bump on the channel <c>catalog:invalidate</c> so other instances bump theirs.
/// A read captures the generations before it loads, so data loaded before a write can only land under keys that
/// nobody asks for any more; stale data is never served after the write returned.
/// </para>
/// <para>
/// Redis down: reads skip Redis and memory (memory cannot hear other instances' invalidations) and go to
/// PostgreSQL. After a write that could not reach Redis, and after any reconnection, the Redis cache counts as dirty:
/// the epoch is bumped (every entry dropped, every instance's memory too) before Redis is read again, and this
/// instance's memory starts empty. Across instances the one window left is the pub/sub delivery time (well under a
/// millisecond here) between a write's answer and the other instances dropping their memory.
/// </para>
/// </summary>
public sealed partial class CatalogCache : BackgroundService
{
    private const string GenerationsKey = "catalog:gen";
    private const string InvalidationChannel = "catalog:invalidate";
    private const string ListField = "list";
    private const string EpochField = "epoch";

    // Reads the current generations and the entry under them; returns the entry's key (to store a miss) and value.
    private const string ReadScript = """
        local g = redis.call('HMGET', KEYS[1], 'epoch', ARGV[1])
        local key = ARGV[2] .. (g[1] or '0') .. ':' .. (g[2] or '0') .. ARGV[3]
        return { key, redis.call('GET', key) }
        """;

    // Bumps generations, then tells the other instances (ARGV[1] is the message, the rest are fields).
    private const string InvalidateScript = """
        for i = 2, #ARGV do redis.call('HINCRBY', KEYS[1], ARGV[i], 1) end
        redis.call('PUBLISH', KEYS[2], ARGV[1])
        return 1
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly IConnectionMultiplexer _redis;
    private readonly CatalogOptions _options;
    private readonly ILogger<CatalogCache> _logger;
    private readonly MemoryCache _memory = new(new MemoryCacheOptions { SizeLimit = 20_000 });
    private readonly ConcurrentDictionary<int, long> _productGenerations = new();
    private readonly string _instanceId = Guid.NewGuid().ToString("N");
    private long _epoch;
    private long _listGeneration;
    private volatile bool _subscribed;
    private volatile bool _memoryTrusted;
    private volatile bool _redisDirty;

    public CatalogCache(IConnectionMultiplexer redis, IOptions<CatalogOptions> options, ILogger<CatalogCache> logger)
    {
        _redis = redis;
        _options = options.Value;
        _logger = logger;
        _redis.ConnectionFailed += (_, args) =>
        {
            _memoryTrusted = false;
            LogRedisLost(args.ConnectionType.ToString());
        };
        _redis.ConnectionRestored += (_, _) =>
        {
            // Redis may have restarted with entries older than writes other instances made meanwhile: drop them all
            // (a new epoch, before Redis is read again), and drop this instance's memory, which missed invalidations.
            _redisDirty = true;
            ForgetMemory();
        };
    }

    /// <summary>
    /// Raised when this instance learns of a change (its own write, another instance's through Redis, or everything
    /// when its memory is dropped: null), right after the generations are bumped (<see cref="Search.CatalogIndex"/> listens).
    /// </summary>
    public event Action<IReadOnlyCollection<int>?>? Changed;

    /// <summary>True while this instance can trust its memory (it hears every invalidation).</summary>
    public bool MemoryEnabled => _memoryTrusted && _subscribed && _redis.IsConnected;

    private bool RedisUsable => !_redisDirty && _redis.IsConnected;

    /// <summary>A product's cached read (<paramref name="view"/> names which one: detail, image, ...).</summary>
    public Task<T?> GetProductAsync<T>(int productId, string view, Func<CancellationToken, Task<T?>> load, CancellationToken cancellationToken)
        where T : class =>
        GetAsync(ProductField(productId), _productGenerations.GetValueOrDefault(productId), view, load, cancellationToken);

    /// <summary>A list-shaped cached read (listings, facets, categories, brands, slug lookups), keyed by <paramref name="key"/>.</summary>
    public Task<T?> GetListAsync<T>(string key, Func<CancellationToken, Task<T?>> load, CancellationToken cancellationToken)
        where T : class =>
        GetAsync(ListField, Interlocked.Read(ref _listGeneration), Hash(key), load, cancellationToken);

    /// <summary>
    /// A list this instance answers from its own memory (the search index) as cheaply as Redis could: kept in this
    /// instance's memory only, invalidated like every list. A miss costs no Redis round trip and writes nothing there.
    /// </summary>
    public Task<T?> GetLocalListAsync<T>(string key, Func<CancellationToken, Task<T?>> load, CancellationToken cancellationToken)
        where T : class =>
        GetAsync(ListField, Interlocked.Read(ref _listGeneration), Hash(key), load, cancellationToken, shared: false);

    /// <summary>
    /// Makes the cached reads of <paramref name="productIds"/> (and every list when <paramref name="lists"/>) unreachable,
    /// here at once and for every instance through Redis. Call it after the change is committed, before answering.
    /// </summary>
    public async Task InvalidateAsync(IReadOnlyCollection<int> productIds, bool lists)
    {
        if (productIds.Count == 0 && !lists)
        {
            return;
        }
        var fields = productIds.Distinct().Select(id => (RedisValue)ProductField(id)).ToList();
        if (lists)
        {
            fields.Add(ListField);
        }
        var message = $"{_instanceId}|{(lists ? "list" : "")}|{string.Join(',', productIds)}";
        try
        {
            if (!_redis.IsConnected)
            {
                MarkRedisDirty();
                return;
            }
            await _redis.GetDatabase()
                .ScriptEvaluateAsync(InvalidateScript, [GenerationsKey, InvalidationChannel], [message, .. fields])
                .WaitAsync(_options.RedisTimeout);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogInvalidationFailed(e);
            MarkRedisDirty();
        }
        finally
        {
            // Memory last: a read that lands between the two bumps may copy Redis's old entry into memory, but
            // under the old local generation, which this makes unreachable.
            BumpLocal(productIds, lists);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        do
        {
            try
            {
                if (!_subscribed && _redis.IsConnected)
                {
                    (await _redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(InvalidationChannel))).OnMessage(message => OnInvalidation(message.Message));
                    _subscribed = true;
                    ForgetMemory();
                    LogSubscribed();
                }
                if (_redisDirty && _redis.IsConnected)
                {
                    // Writes happened while Redis was out of reach: drop every Redis entry (and every instance's memory).
                    await _redis.GetDatabase()
                        .ScriptEvaluateAsync(InvalidateScript, [GenerationsKey, InvalidationChannel], [$"{_instanceId}|all|", EpochField])
                        .WaitAsync(_options.RedisTimeout * 4, stoppingToken);
                    _redisDirty = false;
                    LogRedisFlushed();
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogMaintenanceFailed(e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public override void Dispose()
    {
        _memory.Dispose();
        base.Dispose();
    }

    private async Task<T?> GetAsync<T>(
        string field, long generation, string key, Func<CancellationToken, Task<T?>> load, CancellationToken cancellationToken, bool shared = true)
        where T : class
    {
        // Captured before anything is read: see the class comment.
        var memoryKey = new MemoryKey(field, key, Interlocked.Read(ref _epoch), generation);
        var memoryEnabled = MemoryEnabled;
        if (memoryEnabled && _memory.TryGetValue(memoryKey, out T? remembered) && remembered is not null)
        {
            CatalogTelemetry.CacheLookups.Add(1, new KeyValuePair<string, object?>("layer", "memory"));
            return remembered;
        }

        string? redisKey = null;
        if (shared && RedisUsable)
        {
            try
            {
                var result = (RedisResult[]?)await _redis.GetDatabase()
                    .ScriptEvaluateAsync(ReadScript, [GenerationsKey], [field, $"catalog:{field}:", $":{key}"])
                    .WaitAsync(_options.RedisTimeout, cancellationToken);
                if (result is { Length: 2 })
                {
                    redisKey = (string?)result[0];
                    var bytes = (byte[]?)result[1];
                    if (bytes is { Length: > 0 } && JsonSerializer.Deserialize<T>(bytes, Json) is { } cached)
                    {
                        Remember(memoryEnabled, memoryKey, cached);
                        CatalogTelemetry.CacheLookups.Add(1, new KeyValuePair<string, object?>("layer", "redis"));
                        return cached;
                    }
                }
            }
            catch (Exception e) when (e is RedisException or TimeoutException or JsonException)
            {
                LogReadFailed(field, e);
                redisKey = null;
            }
        }

        var loaded = await load(cancellationToken);
        CatalogTelemetry.CacheLookups.Add(1, new KeyValuePair<string, object?>("layer", "database"));
        if (loaded is null)
        {
            return null; // not cached: a product created later must not be hidden by a remembered "not found"
        }
        Remember(memoryEnabled, memoryKey, loaded);
        if (redisKey is not null)
        {
            try
            {
                await _redis.GetDatabase().StringSetAsync(redisKey, JsonSerializer.SerializeToUtf8Bytes(loaded, Json),
                    _options.RedisCacheDuration, flags: CommandFlags.FireAndForget);
            }
            catch (RedisException e)
            {
                LogReadFailed(field, e);
            }
        }
        return loaded;
    }

    private void Remember<T>(bool memoryEnabled, MemoryKey key, T value)
    {
        if (memoryEnabled && _options.MemoryCacheDuration > TimeSpan.Zero)
        {
            _memory.Set(key, value, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = _options.MemoryCacheDuration });
        }
    }

    private void OnInvalidation(RedisValue message)
    {
        var parts = ((string?)message ?? "").Split('|');
        if (parts.Length != 3 || parts[0] == _instanceId)
        {
            return;
        }
        if (parts[1] == "all")
        {
            ForgetMemory();
            return;
        }
        var ids = parts[2].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
        BumpLocal(ids, parts[1] == "list");
    }

    private void BumpLocal(IReadOnlyCollection<int> productIds, bool lists)
    {
        foreach (var id in productIds)
        {
            _productGenerations.AddOrUpdate(id, 1, (_, generation) => generation + 1);
        }
        if (lists)
        {
            Interlocked.Increment(ref _listGeneration);
        }
        Changed?.Invoke(productIds);
    }

    /// <summary>Drops this instance's memory (a new epoch) and trusts it again if Redis is reachable.</summary>
    private void ForgetMemory()
    {
        Interlocked.Increment(ref _epoch);
        _memory.Compact(1.0);
        Changed?.Invoke(null);
        _memoryTrusted = _redis.IsConnected;
    }

    private void MarkRedisDirty() => _redisDirty = true;

    private static string ProductField(int productId) => $"p:{productId}";

    private static string Hash(string key) =>
        key.Length <= 48 && key.All(c => c is >= ' ' and <= '~') ? key : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)), 0, 16);

    private sealed record MemoryKey(string Field, string Key, long Epoch, long Generation);

    [LoggerMessage(LogLevel.Warning, "Redis connection lost ({ConnectionType}): catalog reads go to PostgreSQL until it is back")]
    private partial void LogRedisLost(string connectionType);

    [LoggerMessage(LogLevel.Information, "Listening for catalog cache invalidations")]
    private partial void LogSubscribed();

    [LoggerMessage(LogLevel.Information, "Redis is back: dropped every catalog cache entry written before writes it missed")]
    private partial void LogRedisFlushed();

    [LoggerMessage(LogLevel.Warning, "Could not invalidate the catalog cache in Redis; it is flushed once Redis answers")]
    private partial void LogInvalidationFailed(Exception exception);

    [LoggerMessage(LogLevel.Debug, "Redis cache read of {Field} failed; reading PostgreSQL")]
    private partial void LogReadFailed(string field, Exception exception);

    [LoggerMessage(LogLevel.Warning, "Catalog cache maintenance failed; retrying")]
    private partial void LogMaintenanceFailed(Exception exception);
}
