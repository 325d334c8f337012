using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OrderingApi.Model;
using StackExchange.Redis;

namespace OrderingApi.Services;

/// <summary>Which cart: a customer's (by user id) or an anonymous shopper's (by the id in <c>X-Cart-Id</c>).</summary>
public readonly record struct CartKey(string RedisKey, Guid Id)
{
    public static CartKey ForCustomer(string userId) => new($"cart:c:{userId}", CustomerCartId(userId));

    public static CartKey ForAnonymous(Guid cartId) => new($"cart:a:{cartId:N}", cartId);

    /// <summary>A customer's cart has one id for good (a hash of the user id), so it reads the same on every request.</summary>
    private static Guid CustomerCartId(string userId) => new(MD5.HashData(Encoding.UTF8.GetBytes("customer-cart:" + userId)));
}

/// <summary>Stock held for a cart line: one catalog reservation (a line holds one per increase of its quantity).</summary>
public sealed record CartHold(Guid Id, int Quantity, DateTimeOffset ExpiresAt);

/// <summary>A cart line as kept in Redis: the variant as the catalog described it when last added, and its holds.</summary>
public sealed class CartLine
{
    public int VariantId { get; set; }
    public int ProductId { get; set; }
    public string ProductName { get; set; } = "";
    public string ProductSlug { get; set; } = "";
    public string Sku { get; set; } = "";
    public Dictionary<string, string> Options { get; set; } = [];
    public string ImageUrl { get; set; } = "";
    public decimal UnitPrice { get; set; }
    public List<CartHold> Holds { get; set; } = [];

    public int Quantity => Holds.Sum(h => h.Quantity);

    public bool IsReserved(DateTimeOffset now) => Holds.All(h => h.ExpiresAt > now);

    public void Describe(CatalogVariant variant)
    {
        ProductId = variant.ProductId;
        ProductName = variant.ProductName;
        ProductSlug = variant.ProductSlug;
        Sku = variant.Sku;
        Options = new Dictionary<string, string>(variant.Options);
        ImageUrl = variant.ImageUrl;
        UnitPrice = variant.Price;
    }
}

/// <summary>A cart as kept in Redis (one JSON value per cart, kept <see cref="CartSettings.Lifetime"/> after its last use).</summary>
public sealed class StoredCart
{
    public Guid Id { get; set; }
    public List<CartLine> Lines { get; set; } = [];
}

public enum CartError
{
    None,
    UnknownVariant,
    Insufficient,
    NotInCart,
    TooMany,
    Busy,
}

public sealed record CartOutcome(CartResponse? Cart, CartError Error = CartError.None, int VariantId = 0, int Available = 0, string? Message = null);

/// <summary>
/// Carts in Redis. Adding reserves the stock in the catalog at once (a hold per increase, so an increase needs only
/// the extra units to be available); lowering or removing releases; every use extends holds that are past half their
/// idle time. One request at a time per cart (a Redis lock per cart), so concurrent adds never lose a line and a hold
/// is released once. A cart left alone expires in Redis; its holds have long expired in the catalog by then.
/// </summary>
public sealed partial class CartService(
    IConnectionMultiplexer redis,
    CatalogClient catalog,
    IOptions<CartSettings> settings,
    TimeProvider timeProvider,
    ILogger<CartService> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private IDatabase Db => redis.GetDatabase();

    private int HoldSeconds => Math.Max(1, (int)Math.Ceiling(settings.Value.ReservationIdleTime.TotalSeconds));

    public Task<CartOutcome> GetAsync(CartKey key, CancellationToken cancellationToken) =>
        WithCartAsync(key, async cart =>
        {
            await KeepAliveAsync(cart, cancellationToken);
            return Ok(cart);
        });

    public Task<CartOutcome> AddAsync(CartKey key, int variantId, int quantity, CancellationToken cancellationToken) =>
        WithCartAsync(key, async cart =>
        {
            var line = cart.Lines.Find(l => l.VariantId == variantId);
            if ((line?.Quantity ?? 0) + quantity > CheckoutRules.MaxLineQuantity)
            {
                return new CartOutcome(null, CartError.TooMany, variantId,
                    Message: $"At most {CheckoutRules.MaxLineQuantity} of one item per order; the cart has {line!.Quantity}.");
            }
            if (line is null && cart.Lines.Count >= CheckoutRules.MaxCartLines)
            {
                return new CartOutcome(null, CartError.TooMany, variantId, Message: $"A cart holds at most {CheckoutRules.MaxCartLines} different items.");
            }
            if (await catalog.DescribeVariantAsync(variantId, cancellationToken) is not { Archived: false } variant)
            {
                return new CartOutcome(null, CartError.UnknownVariant, variantId);
            }

            // A line whose hold expired is held again in full with the new units (the shopper is using the cart).
            var now = timeProvider.GetUtcNow();
            var expired = line?.Holds.Where(h => h.ExpiresAt <= now).ToList() ?? [];
            var reserved = await catalog.ReserveAsync(Guid.CreateVersion7(), Owner(cart), variantId, quantity + expired.Sum(h => h.Quantity), HoldSeconds, cancellationToken);
            switch (reserved.Result)
            {
                case ReserveResult.UnknownVariant:
                    return new CartOutcome(null, CartError.UnknownVariant, variantId);
                case ReserveResult.Insufficient:
                    return new CartOutcome(null, CartError.Insufficient, variantId, reserved.Available);
            }
            if (line is null)
            {
                line = new CartLine { VariantId = variantId };
                cart.Lines.Add(line);
            }
            line.Describe(variant);
            await ReleaseAsync(expired, cancellationToken);
            line.Holds.RemoveAll(expired.Contains);
            line.Holds.Add(ToHold(reserved.Reservation!, quantity + expired.Sum(h => h.Quantity)));
            await KeepAliveAsync(cart, cancellationToken);
            await SaveAsync(key, cart);
            return Ok(cart);
        });

    /// <summary>Sets a line's quantity (0 removes it). Setting a line whose hold expired holds it again.</summary>
    public Task<CartOutcome> SetAsync(CartKey key, int variantId, int quantity, CancellationToken cancellationToken) =>
        WithCartAsync(key, async cart =>
        {
            var line = cart.Lines.Find(l => l.VariantId == variantId);
            if (line is null)
            {
                return quantity == 0 ? Ok(cart) : new CartOutcome(null, CartError.NotInCart, variantId);
            }
            var now = timeProvider.GetUtcNow();
            var expired = line.Holds.Where(h => h.ExpiresAt <= now).ToList();
            await ReleaseAsync(expired, cancellationToken);
            line.Holds.RemoveAll(expired.Contains);

            // Fewer: release the newest holds until no more than wanted are held, then hold any difference below.
            var released = new List<CartHold>();
            while (line.Holds.Count > 0 && line.Quantity > quantity)
            {
                released.Add(line.Holds[^1]);
                line.Holds.RemoveAt(line.Holds.Count - 1);
            }
            await ReleaseAsync(released, cancellationToken);

            CartOutcome? refused = null;
            if (line.Quantity < quantity)
            {
                var missing = quantity - line.Quantity;
                var reserved = await catalog.ReserveAsync(Guid.CreateVersion7(), Owner(cart), variantId, missing, HoldSeconds, cancellationToken);
                if (reserved.Result == ReserveResult.Reserved)
                {
                    line.Holds.Add(ToHold(reserved.Reservation!, missing));
                }
                else
                {
                    refused = new CartOutcome(null, reserved.Result == ReserveResult.Insufficient ? CartError.Insufficient : CartError.UnknownVariant,
                        variantId, line.Quantity + reserved.Available);
                }
            }
            if (line.Holds.Count == 0)
            {
                cart.Lines.Remove(line);
            }
            await KeepAliveAsync(cart, cancellationToken);
            await SaveAsync(key, cart);
            return refused ?? Ok(cart);
        });

    public Task<CartOutcome> RemoveAsync(CartKey key, int variantId, CancellationToken cancellationToken) =>
        SetAsync(key, variantId, 0, cancellationToken);

    /// <summary>Empties the cart and gives every held unit back.</summary>
    public Task<CartOutcome> ClearAsync(CartKey key, CancellationToken cancellationToken) =>
        WithCartAsync(key, async cart =>
        {
            await ReleaseAsync([.. cart.Lines.SelectMany(l => l.Holds)], cancellationToken);
            cart.Lines.Clear();
            await Db.KeyDeleteAsync(key.RedisKey);
            return Ok(cart);
        });

    /// <summary>
    /// Moves an anonymous cart into a customer's: quantities add up (to the per-line limit; holds beyond it are
    /// released), the holds move with them, and the anonymous cart is deleted.
    /// </summary>
    public async Task<CartOutcome> MergeAsync(CartKey anonymous, CartKey customer, CancellationToken cancellationToken)
    {
        // Always the anonymous cart's lock first, then the customer's: no two merges wait on each other crosswise.
        await using var anonymousLock = await LockAsync(anonymous.RedisKey, cancellationToken);
        if (anonymousLock is null)
        {
            return Busy();
        }
        return await WithCartAsync(customer, async cart =>
        {
            if (await LoadAsync(anonymous) is not { } source)
            {
                return Ok(cart);
            }
            var surplus = new List<CartHold>();
            foreach (var from in source.Lines)
            {
                var into = cart.Lines.Find(l => l.VariantId == from.VariantId);
                if (into is null)
                {
                    if (cart.Lines.Count >= CheckoutRules.MaxCartLines)
                    {
                        surplus.AddRange(from.Holds);
                        continue;
                    }
                    into = new CartLine { VariantId = from.VariantId };
                    cart.Lines.Add(into);
                }
                into.Describe(ToVariant(from));
                foreach (var hold in from.Holds)
                {
                    (into.Quantity + hold.Quantity <= CheckoutRules.MaxLineQuantity ? into.Holds : surplus).Add(hold);
                }
                if (into.Holds.Count == 0)
                {
                    cart.Lines.Remove(into);
                }
            }
            await ReleaseAsync(surplus, cancellationToken);
            await SaveAsync(customer, cart);
            await Db.KeyDeleteAsync(anonymous.RedisKey);
            LogMerged(anonymous.Id, source.Lines.Count);
            await KeepAliveAsync(cart, cancellationToken);
            await SaveAsync(customer, cart);
            return Ok(cart);
        });
    }

    /// <summary>Runs <paramref name="action"/> on the cart (a new empty one when there is none) holding the cart's lock.</summary>
    private async Task<CartOutcome> WithCartAsync(CartKey key, Func<StoredCart, Task<CartOutcome>> action)
    {
        var (held, cart) = await LockAndLoadAsync(key, CancellationToken.None);
        if (held is null)
        {
            return Busy();
        }
        await using (held)
        {
            return await action(cart ?? new StoredCart { Id = key.Id });
        }
    }

    private CartOutcome Busy() => new(null, CartError.Busy,
        Message: $"Another request on this cart did not finish within {settings.Value.LockWait.TotalSeconds:0} seconds. Try again.");

    /// <summary>How long the cart's lock lasts unless its holder renews it (every third of that while it works).</summary>
    internal static readonly TimeSpan LockLease = TimeSpan.FromSeconds(6);

    /// <summary>
    /// Takes the cart's lock (a Redis key with a random token, released only by its holder), waiting up to
    /// <see cref="CartSettings.LockWait"/>; null when it could not. The lock is a lease of <see cref="LockLease"/> that
    /// its holder renews while it works (a checkout waiting on a slow database keeps it); a lock nobody holds any more
    /// (this process died, or Redis froze while it was being taken or released) lapses within that, not after 30 s.
    /// </summary>
    public async Task<IAsyncDisposable?> LockAsync(string redisKey, CancellationToken cancellationToken) =>
        (await LockAndLoadAsync(redisKey, null, cancellationToken)).Lock;

    /// <summary>
    /// <see cref="LockAsync"/> and <see cref="LoadAsync"/> in one round trip: the cart's read is sent right behind each
    /// attempt to take the lock, on the same connection, so Redis runs it just after the lock was taken (a read that
    /// follows an attempt that failed is dropped). The lock is null when it could not be taken (then so is the cart).
    /// </summary>
    public Task<(IAsyncDisposable? Lock, StoredCart? Cart)> LockAndLoadAsync(CartKey key, CancellationToken cancellationToken) =>
        LockAndLoadAsync(key.RedisKey, key.RedisKey, cancellationToken);

    private async Task<(IAsyncDisposable? Lock, StoredCart? Cart)> LockAndLoadAsync(string redisKey, string? cartKey, CancellationToken cancellationToken)
    {
        var lockKey = redisKey + ":lock";
        var token = Guid.NewGuid().ToString("N");
        var deadline = timeProvider.GetUtcNow() + settings.Value.LockWait;
        var delay = 2;
        while (true)
        {
            var db = Db;
            var taken = db.LockTakeAsync(lockKey, token, LockLease);
            var read = cartKey is null ? null : db.StringGetAsync(cartKey);
            await (read is null ? taken : Task.WhenAll(taken, read));
            if (taken.Result)
            {
                return (new CartLock(db, lockKey, token), read is null ? null : Parse(read.Result));
            }
            if (timeProvider.GetUtcNow() > deadline)
            {
                return (null, null);
            }
            await Task.Delay(delay + Random.Shared.Next(delay), cancellationToken);
            delay = Math.Min(delay * 2, 40);
        }
    }

    public async Task<StoredCart?> LoadAsync(CartKey key) => Parse(await Db.StringGetAsync(key.RedisKey));

    private static StoredCart? Parse(RedisValue value) =>
        value.IsNullOrEmpty ? null : JsonSerializer.Deserialize<StoredCart>((string)value!, Json);

    public async Task SaveAsync(CartKey key, StoredCart cart)
    {
        if (cart.Lines.Count == 0)
        {
            await Db.KeyDeleteAsync(key.RedisKey);
            return;
        }
        await Db.StringSetAsync(key.RedisKey, JsonSerializer.Serialize(cart, Json), settings.Value.Lifetime);
    }

    public Task DeleteAsync(CartKey key) => Db.KeyDeleteAsync(key.RedisKey);

    /// <summary>Gives the stock of these holds back (expired ones too: harmless, and quicker than waiting for the sweeper).</summary>
    public async Task ReleaseAsync(IReadOnlyCollection<CartHold> holds, CancellationToken cancellationToken)
    {
        if (holds.Count > 0)
        {
            await Task.WhenAll(holds.Select(h => catalog.ReleaseAsync(h.Id, cancellationToken)));
        }
    }

    /// <summary>"The cart is being used": holds past half their idle time get a full idle time again.</summary>
    private async Task KeepAliveAsync(StoredCart cart, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var half = settings.Value.ReservationIdleTime / 2;
        var due = cart.Lines.SelectMany(l => l.Holds.Select(h => (Line: l, Hold: h)))
            .Where(x => x.Hold.ExpiresAt > now && x.Hold.ExpiresAt - now < half)
            .ToList();
        if (due.Count == 0)
        {
            return;
        }
        var extended = await Task.WhenAll(due.Select(x => catalog.ExtendAsync(x.Hold.Id, HoldSeconds, cancellationToken)));
        for (var i = 0; i < due.Count; i++)
        {
            var (line, hold) = due[i];
            // Null: the catalog ended it already (expired a moment ago); the line shows it as no longer reserved.
            line.Holds[line.Holds.IndexOf(hold)] = hold with { ExpiresAt = extended[i]?.ExpiresAt ?? now };
        }
    }

    public CartResponse ToResponse(StoredCart cart)
    {
        var now = timeProvider.GetUtcNow();
        var lines = cart.Lines.Select(l => new CartLineResponse(
            l.VariantId, l.ProductId, l.ProductName, l.ProductSlug, l.Sku, l.Options, l.ImageUrl, l.UnitPrice, l.Quantity,
            l.UnitPrice * l.Quantity, l.Holds.Min(h => h.ExpiresAt), l.IsReserved(now))).ToList();
        return new CartResponse(cart.Id, lines, lines.Sum(l => l.Quantity), lines.Sum(l => l.LineTotal), "EUR");
    }

    private CartOutcome Ok(StoredCart cart) => new(ToResponse(cart));

    private static string Owner(StoredCart cart) => $"cart:{cart.Id}";

    private static CartHold ToHold(CatalogReservation reservation, int quantity) => new(reservation.Id, quantity, reservation.ExpiresAt);

    private static CatalogVariant ToVariant(CartLine line) => new(line.VariantId, line.Sku, line.ProductId, line.ProductSlug,
        line.ProductName, "", line.Options, line.UnitPrice, 0, line.ImageUrl, false);

    /// <summary>
    /// A held cart lock: renewed every third of its lease while held; deleted at the end only if it is still ours (it may
    /// have lapsed and been taken by another request): one round trip.
    /// </summary>
    private sealed class CartLock : IAsyncDisposable
    {
        private const string Release = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

        private readonly IDatabase _db;
        private readonly string _key;
        private readonly string _token;
        private readonly CancellationTokenSource _held = new();
        private readonly Task _renewing;

        public CartLock(IDatabase db, string key, string token)
        {
            (_db, _key, _token) = (db, key, token);
            _renewing = RenewAsync();
        }

        private async Task RenewAsync()
        {
            while (true)
            {
                // Released (nearly always before the first turn): no exception thrown for it, this runs for every cart change.
                await Task.Delay(LockLease / 3, _held.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (_held.IsCancellationRequested)
                {
                    return;
                }
                try
                {
                    if (!await _db.LockExtendAsync(_key, _token, LockLease))
                    {
                        return; // lapsed and taken by another request: nothing left to renew
                    }
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    // Redis is not answering: try again at the next turn; the lease lapses if it never does.
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            // Cancel, not CancelAsync: the renewal loop, waiting in its delay, ends right here instead of on another thread.
            _held.Cancel();
            await _renewing;
            _held.Dispose();
            await _db.ScriptEvaluateAsync(Release, [_key], [_token]);
        }
    }

    [LoggerMessage(LogLevel.Information, "Merged anonymous cart {CartId} ({Lines} lines) into a customer's cart")]
    private partial void LogMerged(Guid cartId, int lines);
}
