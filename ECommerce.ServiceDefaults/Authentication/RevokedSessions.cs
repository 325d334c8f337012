using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace ECommerce.ServiceDefaults.Authentication;

/// <summary>
/// Access tokens that must stop working before they expire: those of sign-in sessions that ended (logout, a password
/// change, a refresh token used twice), and a user's tokens issued before their roles changed (the next refresh
/// carries the new roles). OrderingApi announces them with <see cref="RevokeAsync"/> and <see cref="RevokeIssuedBeforeAsync"/>:
/// into a Redis sorted set (<see cref="Key"/>, scored by when the last such token expires) for services that start
/// later, and as a message on the channel of the same name for those running. Each service keeps the live ones in
/// memory, so checking a token is two dictionary lookups. Without Redis (or while it is down) such a token works until
/// it expires, as before.
/// </summary>
public sealed partial class RevokedSessions(TimeProvider clock, ILogger<RevokedSessions> logger, IConnectionMultiplexer? redis = null)
{
    /// <summary>The Redis sorted set of ended sessions, and the channel that announces each.</summary>
    public const string Key = "auth:revoked-sessions";

    private static readonly RedisChannel Channel = RedisChannel.Literal(Key);
    private const string UserPrefix = "user:";

    private readonly ConcurrentDictionary<string, DateTimeOffset> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (DateTimeOffset IssuedBefore, DateTimeOffset Until)> _users = new(StringComparer.Ordinal);

    /// <summary>True when this service has Redis (else tokens of ended sessions work until they expire).</summary>
    public bool IsEnabled => redis is not null;

    /// <summary>True when the session ended and its tokens have not all expired yet.</summary>
    public bool IsRevoked(string sessionId) => _sessions.TryGetValue(sessionId, out var until) && until > clock.GetUtcNow();

    /// <summary>True when the token was issued before the user's tokens were revoked (no issue time counts as before).</summary>
    public bool IsRevoked(string userId, DateTimeOffset? issuedAt) =>
        _users.TryGetValue(userId, out var cut) && cut.Until > clock.GetUtcNow() && (issuedAt is null || issuedAt < cut.IssuedBefore);

    /// <summary>Refuses the user's tokens issued before <paramref name="issuedBefore"/> in every service, until <paramref name="until"/>.</summary>
    public Task RevokeIssuedBeforeAsync(string userId, DateTimeOffset issuedBefore, DateTimeOffset until) =>
        RevokeAsync([$"{UserPrefix}{userId}:{issuedBefore.ToUnixTimeMilliseconds()}"], until);

    /// <summary>
    /// Ends the sessions in every service until <paramref name="until"/>, when their last access tokens expire. If Redis
    /// cannot be reached it is logged, and the other services accept those tokens until they expire.
    /// </summary>
    public async Task RevokeAsync(IReadOnlyCollection<string> sessionIds, DateTimeOffset until)
    {
        if (redis is null || sessionIds.Count == 0)
        {
            return;
        }
        foreach (var id in sessionIds)
        {
            Remember(id, until);
        }
        try
        {
            var score = until.ToUnixTimeMilliseconds();
            var database = redis.GetDatabase();
            await database.SortedSetAddAsync(Key, [.. sessionIds.Select(id => new SortedSetEntry(id, score))]);
            await database.SortedSetRemoveRangeByScoreAsync(Key, double.NegativeInfinity, clock.GetUtcNow().ToUnixTimeMilliseconds());
            foreach (var id in sessionIds)
            {
                await redis.GetSubscriber().PublishAsync(Channel, $"{id} {score}");
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogAnnounceFailed(e, sessionIds.Count);
        }
    }

    /// <summary>Listens for sessions ended from now on, then reads those ended before (so none falls in between).</summary>
    internal async Task ListenAsync()
    {
        if (redis is null)
        {
            return;
        }
        // In the order announced, one at a time, as before StackExchange.Redis 2 (a handler would run concurrently).
        (await redis.GetSubscriber().SubscribeAsync(Channel)).OnMessage(message =>
        {
            var text = message.Message.ToString();
            var space = text.LastIndexOf(' ');
            if (space > 0 && long.TryParse(text.AsSpan(space + 1), out var score))
            {
                Remember(text[..space], DateTimeOffset.FromUnixTimeMilliseconds(score));
            }
        });
        var entries = await redis.GetDatabase().SortedSetRangeByScoreWithScoresAsync(Key, clock.GetUtcNow().ToUnixTimeMilliseconds(), double.PositiveInfinity);
        foreach (var entry in entries)
        {
            Remember(entry.Element.ToString(), DateTimeOffset.FromUnixTimeMilliseconds((long)entry.Score));
        }
        LogListening(entries.Length);
    }

    private void Remember(string entry, DateTimeOffset until)
    {
        if (entry.StartsWith(UserPrefix, StringComparison.Ordinal))
        {
            // "user:ID:MILLISECONDS": the user's tokens issued before then; a later cut-off wins.
            var colon = entry.LastIndexOf(':');
            if (colon > UserPrefix.Length && long.TryParse(entry.AsSpan(colon + 1), out var before))
            {
                var cut = (DateTimeOffset.FromUnixTimeMilliseconds(before), until);
                _users.AddOrUpdate(entry[UserPrefix.Length..colon], cut, (_, old) => old.IssuedBefore >= cut.Item1 ? old : cut);
            }
            return;
        }
        _sessions[entry] = until;
        if (_sessions.Count % 256 == 0)
        {
            var now = clock.GetUtcNow();
            foreach (var (id, ends) in _sessions)
            {
                if (ends <= now)
                {
                    _sessions.TryRemove(id, out _);
                }
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "Could not tell the other services of {Count} revocation(s); the tokens concerned work there until they expire")]
    private partial void LogAnnounceFailed(Exception exception, int count);

    [LoggerMessage(LogLevel.Information, "Refusing the tokens of ended sessions: {Count} still within their tokens' lifetime")]
    private partial void LogListening(int count);
}

/// <summary>Starts <see cref="RevokedSessions"/> listening, and keeps trying every 10 s while Redis cannot be reached.</summary>
internal sealed partial class RevokedSessionsListener(RevokedSessions sessions, ILogger<RevokedSessionsListener> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await sessions.ListenAsync();
                return;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                LogRetrying(e);
                await Task.Delay(TimeSpan.FromSeconds(10), stoppingToken);
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "Cannot read ended sessions from Redis yet; their tokens work until they expire. Trying again in 10 s")]
    private partial void LogRetrying(Exception exception);
}

/// <summary>
/// The bearer token format, refusing a token whose session has ended or that was issued before its user's tokens were
/// revoked (see <see cref="RevokedSessions"/>). Tokens it protects carry their issue time in milliseconds (the
/// ticket's own IssuedUtc keeps whole seconds only, too coarse for a refresh made just after a role change).
/// </summary>
internal sealed class RevokedSessionTokenFormat(ISecureDataFormat<AuthenticationTicket> inner, RevokedSessions sessions, TimeProvider clock)
    : ISecureDataFormat<AuthenticationTicket>
{
    public string Protect(AuthenticationTicket data) => inner.Protect(Stamp(data));

    public string Protect(AuthenticationTicket data, string? purpose) => inner.Protect(Stamp(data), purpose);

    private const string IssuedKey = "issued_ms";

    private AuthenticationTicket Stamp(AuthenticationTicket ticket)
    {
        ticket.Properties.Items[IssuedKey] = clock.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        return ticket;
    }

    private static DateTimeOffset? IssuedAt(AuthenticationTicket ticket) =>
        ticket.Properties.Items.TryGetValue(IssuedKey, out var value) && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;

    public AuthenticationTicket? Unprotect(string? protectedText) => Check(inner.Unprotect(protectedText));

    public AuthenticationTicket? Unprotect(string? protectedText, string? purpose) => Check(inner.Unprotect(protectedText, purpose));

    private AuthenticationTicket? Check(AuthenticationTicket? ticket) =>
        ticket is null
        || (ticket.Principal.FindFirst(AppClaimTypes.SessionId)?.Value is { } sessionId && sessions.IsRevoked(sessionId))
        || (ticket.Principal.GetUserId() is { } userId && sessions.IsRevoked(userId, IssuedAt(ticket)))
            ? null
            : ticket;
}
