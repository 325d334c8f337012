using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace ECommerce.ServiceDefaults.Authentication;

/// <summary>
/// Sign-in sessions that ended before their access tokens did (logout, a password change, a refresh token used
/// twice): every service refuses those tokens at once, not only once they expire. OrderingApi ends a session with
/// <see cref="RevokeAsync"/>: into a Redis sorted set (<see cref="Key"/>, scored by when the session's last access token
/// ends) for services that start later, and as a message on the channel of the same name for those running. Each
/// service keeps the live ones in memory, so checking a token is a dictionary lookup. Without Redis (or while it is
/// down) a token of an ended session works until it expires, as before.
/// </summary>
public sealed partial class RevokedSessions(TimeProvider clock, ILogger<RevokedSessions> logger, IConnectionMultiplexer? redis = null)
{
    /// <summary>The Redis sorted set of ended sessions, and the channel that announces each.</summary>
    public const string Key = "auth:revoked-sessions";

    private static readonly RedisChannel Channel = new(Key, RedisChannel.PatternMode.Literal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _sessions = new(StringComparer.Ordinal);

    /// <summary>True when this service has Redis (else tokens of ended sessions work until they expire).</summary>
    public bool IsEnabled => redis is not null;

    /// <summary>True when the session ended and its tokens have not all expired yet.</summary>
    public bool IsRevoked(string sessionId) => _sessions.TryGetValue(sessionId, out var until) && until > clock.GetUtcNow();

    /// <summary>Ends the sessions in every service until <paramref name="until"/>, when their last access tokens expire.</summary>
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
        var score = until.ToUnixTimeMilliseconds();
        var database = redis.GetDatabase();
        await database.SortedSetAddAsync(Key, [.. sessionIds.Select(id => new SortedSetEntry(id, score))]);
        await database.SortedSetRemoveRangeByScoreAsync(Key, double.NegativeInfinity, clock.GetUtcNow().ToUnixTimeMilliseconds());
        foreach (var id in sessionIds)
        {
            await redis.GetSubscriber().PublishAsync(Channel, $"{id} {score}");
        }
    }

    /// <summary>Listens for sessions ended from now on, then reads those ended before (so none falls in between).</summary>
    internal async Task ListenAsync()
    {
        if (redis is null)
        {
            return;
        }
        await redis.GetSubscriber().SubscribeAsync(Channel, (_, message) =>
        {
            var parts = message.ToString().Split(' ');
            if (parts.Length == 2 && long.TryParse(parts[1], out var score))
            {
                Remember(parts[0], DateTimeOffset.FromUnixTimeMilliseconds(score));
            }
        });
        var entries = await redis.GetDatabase().SortedSetRangeByScoreWithScoresAsync(Key, clock.GetUtcNow().ToUnixTimeMilliseconds(), double.PositiveInfinity);
        foreach (var entry in entries)
        {
            Remember(entry.Element.ToString(), DateTimeOffset.FromUnixTimeMilliseconds((long)entry.Score));
        }
        LogListening(entries.Length);
    }

    private void Remember(string sessionId, DateTimeOffset until)
    {
        _sessions[sessionId] = until;
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

/// <summary>The bearer token format, refusing a token whose session has ended (see <see cref="RevokedSessions"/>).</summary>
internal sealed class RevokedSessionTokenFormat(ISecureDataFormat<AuthenticationTicket> inner, RevokedSessions sessions) : ISecureDataFormat<AuthenticationTicket>
{
    public string Protect(AuthenticationTicket data) => inner.Protect(data);

    public string Protect(AuthenticationTicket data, string? purpose) => inner.Protect(data, purpose);

    public AuthenticationTicket? Unprotect(string? protectedText) => Check(inner.Unprotect(protectedText));

    public AuthenticationTicket? Unprotect(string? protectedText, string? purpose) => Check(inner.Unprotect(protectedText, purpose));

    private AuthenticationTicket? Check(AuthenticationTicket? ticket) =>
        ticket?.Principal.FindFirst(AppClaimTypes.SessionId)?.Value is { } sessionId && sessions.IsRevoked(sessionId) ? null : ticket;
}
