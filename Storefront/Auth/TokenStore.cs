using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Storefront.Model;
using Storefront.Services;
using StackExchange.Redis;

namespace Storefront.Auth;

/// <summary>A signed-in shopper's OrderingApi tokens, as the storefront keeps them (never sent to the browser).</summary>
public sealed record SessionTokens(string AccessToken, string RefreshToken, DateTimeOffset ExpiresAt);

/// <summary>
/// Keeps each sign-in's access and refresh tokens in Redis under a random session id; the browser's encrypted,
/// HttpOnly cookie holds only that id (claim <see cref="StorefrontClaims.SessionId"/>). Keeping them server-side lets
/// every request and every interactive circuit of one sign-in share the same tokens: OrderingApi's refresh tokens work
/// once (a reused one revokes the session), so two copies refreshing on their own would end the sign-in.
/// Refreshes are serialised per session, in this process and across instances (a Redis lock).
/// </summary>
public sealed partial class TokenStore(IConnectionMultiplexer redis, IHttpClientFactory httpClientFactory, TimeProvider time, ILogger<TokenStore> logger)
{
    /// <summary>The named HttpClient (base address http://ordering-api) for identity calls made without a user.</summary>
    public const string IdentityClientName = "identity";

    /// <summary>A token closer than this to its end is refreshed before use.</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromSeconds(30);

    /// <summary>How long a session is kept without use (OrderingApi's refresh token lifetime).</summary>
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromDays(14);

    // Refreshes of one session wait for each other in this process: a fixed set of locks, a session's by its hash
    // (bounded memory, however many sessions come and go).
    private static readonly SemaphoreSlim[] RefreshLocks = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    private IDatabase Db => redis.GetDatabase();

    private static RedisKey Key(string sessionId) => $"storefront:session:{sessionId}";

    /// <summary>Stores the tokens of a new sign-in; returns its session id.</summary>
    public async Task<string> CreateAsync(TokenResponse tokens)
    {
        var sessionId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        await SaveAsync(sessionId, tokens);
        return sessionId;
    }

    public async Task SaveAsync(string sessionId, TokenResponse tokens)
    {
        var stored = new SessionTokens(tokens.AccessToken, tokens.RefreshToken, time.GetUtcNow().AddSeconds(tokens.ExpiresIn));
        await Db.StringSetAsync(Key(sessionId), JsonSerializer.Serialize(stored), SessionLifetime);
    }

    public async Task<SessionTokens?> GetAsync(string sessionId)
    {
        var value = await Db.StringGetAsync(Key(sessionId));
        return value.IsNullOrEmpty ? null : JsonSerializer.Deserialize<SessionTokens>(value.ToString());
    }

    /// <summary>True unless the session is known to be gone (Redis unreachable counts as "still there").</summary>
    public async Task<bool> ExistsAsync(string sessionId)
    {
        try
        {
            return await Db.KeyExistsAsync(Key(sessionId));
        }
        catch (RedisException e)
        {
            LogRedisUnavailable(e);
            return true;
        }
    }

    public async Task RemoveAsync(string sessionId)
    {
        try
        {
            await Db.KeyDeleteAsync(Key(sessionId));
        }
        catch (RedisException e)
        {
            LogRedisUnavailable(e);
        }
    }

    /// <summary>A valid access token for the session, refreshed first when it is about to end; null when the sign-in is over.</summary>
    public async Task<string?> GetAccessTokenAsync(string sessionId, CancellationToken cancellationToken)
    {
        SessionTokens? tokens;
        try
        {
            tokens = await GetAsync(sessionId);
        }
        catch (RedisException e)
        {
            LogRedisUnavailable(e);
            return null;
        }
        if (tokens is null)
        {
            return null;
        }
        return tokens.ExpiresAt - time.GetUtcNow() > RefreshMargin
            ? tokens.AccessToken
            : await RefreshAsync(sessionId, tokens.AccessToken, cancellationToken);
    }

    /// <summary>
    /// Replaces <paramref name="staleAccessToken"/> by a fresh one (unless another request already did); null when
    /// OrderingApi refuses the refresh token (the sign-in ended) or cannot be reached.
    /// </summary>
    public async Task<string?> RefreshAsync(string sessionId, string staleAccessToken, CancellationToken cancellationToken)
    {
        var local = RefreshLocks[(int)((uint)StringComparer.Ordinal.GetHashCode(sessionId) % RefreshLocks.Length)];
        await local.WaitAsync(cancellationToken);
        var lockKey = (RedisKey)$"storefront:session:{sessionId}:refresh";
        var lockValue = (RedisValue)Guid.NewGuid().ToString("N");
        var locked = false;
        try
        {
            // Across instances: wait (up to 5 s) for another instance's refresh of the same session.
            for (var attempt = 0; attempt < 50 && !(locked = await Db.LockTakeAsync(lockKey, lockValue, TimeSpan.FromSeconds(10))); attempt++)
            {
                await Task.Delay(100, cancellationToken);
            }

            var current = await GetAsync(sessionId);
            if (current is null)
            {
                return null;
            }
            if (current.AccessToken != staleAccessToken && current.ExpiresAt - time.GetUtcNow() > RefreshMargin)
            {
                return current.AccessToken; // refreshed meanwhile
            }

            using var response = await httpClientFactory.CreateClient(IdentityClientName)
                .PostAsJsonAsync("/api/identity/refresh", new { refreshToken = current.RefreshToken }, cancellationToken);
            if (response.IsSuccessStatusCode && await response.Content.ReadFromJsonAsync<TokenResponse>(BackendClient.Json, cancellationToken) is { } fresh)
            {
                await SaveAsync(sessionId, fresh);
                return fresh.AccessToken;
            }
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest or HttpStatusCode.Forbidden)
            {
                LogSessionEnded(sessionId[..6]);
                await RemoveAsync(sessionId);
            }
            return null;
        }
        catch (Exception e) when (e is HttpRequestException or RedisException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogRefreshFailed(e);
            return null;
        }
        finally
        {
            if (locked)
            {
                await Db.LockReleaseAsync(lockKey, lockValue);
            }
            local.Release();
        }
    }

    [LoggerMessage(LogLevel.Warning, "Redis is unavailable for storefront sessions")]
    private partial void LogRedisUnavailable(Exception exception);

    [LoggerMessage(LogLevel.Information, "OrderingApi refused the refresh token of session {SessionPrefix}...: the sign-in ended")]
    private partial void LogSessionEnded(string sessionPrefix);

    [LoggerMessage(LogLevel.Warning, "Refreshing an access token failed")]
    private partial void LogRefreshFailed(Exception exception);
}
