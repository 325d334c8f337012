using System.Net.Http.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ECommerce.ServiceDefaults.Authentication.ServiceTokens;

/// <summary>The answer of OrderingApi's <c>POST /api/identity/service-token</c>.</summary>
public sealed record ServiceTokenResponse(string TokenType, string AccessToken, long ExpiresIn, IReadOnlyList<string> Scopes);

/// <summary>
/// Gets this service's token with its client credentials and keeps it. From <see cref="ServiceTokenOptions.RenewBeforeExpiry"/>
/// before it expires it is renewed in the background while calls go on with it, so a token endpoint that is slow or
/// refusing for a while (429 when the address's sign-in attempts ran out) delays no call; a renewal that fails is tried
/// again <see cref="RetryRenewalAfter"/> later. Only without a token still in date does a call wait for one (one request
/// at a time: the others wait for that one). A singleton: the cache is shared.
/// </summary>
public sealed partial class ServiceTokenClient(
    IHttpClientFactory httpClientFactory,
    IOptions<ServiceTokenOptions> options,
    TimeProvider timeProvider,
    ILogger<ServiceTokenClient> logger)
{
    /// <summary>The named HttpClient that calls the token endpoint (with the default resilience and discovery).</summary>
    public const string HttpClientName = "ServiceTokens";

    /// <summary>How long after a failed background renewal the next one may start.</summary>
    public static readonly TimeSpan RetryRenewalAfter = TimeSpan.FromSeconds(10);

    /// <summary>A token is not sent in its last seconds: it could expire on the way.</summary>
    private static readonly TimeSpan ExpiryMargin = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private CachedToken? _current;
    private long _noRenewalBeforeTicks;
    private int _renewing;

    /// <summary>A token still in date: the cached one (renewed in the background when due), else a new one from the token endpoint.</summary>
    public async Task<string> GetTokenAsync(CancellationToken cancellationToken = default)
    {
        var current = Volatile.Read(ref _current);
        if (InDate(current))
        {
            if (timeProvider.GetUtcNow() >= current!.RenewAt)
            {
                RenewInBackground();
            }
            return current.Token;
        }
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            return InDate(_current) ? _current!.Token : await FetchAsync(cancellationToken);
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>Starts one renewal unless one is running or the last failed less than <see cref="RetryRenewalAfter"/> ago.</summary>
    private void RenewInBackground()
    {
        if (timeProvider.GetUtcNow().UtcTicks < Interlocked.Read(ref _noRenewalBeforeTicks) || Interlocked.Exchange(ref _renewing, 1) == 1)
        {
            return;
        }
        _ = Task.Run(async () =>
        {
            await _refresh.WaitAsync();
            try
            {
                if (Volatile.Read(ref _current) is not { } current || timeProvider.GetUtcNow() >= current.RenewAt)
                {
                    await FetchAsync(CancellationToken.None);
                }
            }
            catch (Exception e)
            {
                Interlocked.Exchange(ref _noRenewalBeforeTicks, (timeProvider.GetUtcNow() + RetryRenewalAfter).UtcTicks);
                LogRenewalFailed(options.Value.ClientId, e.Message);
            }
            finally
            {
                _refresh.Release();
                Volatile.Write(ref _renewing, 0);
            }
        });
    }

    private async Task<string> FetchAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var http = httpClientFactory.CreateClient(HttpClientName);
        using var response = await http.PostAsJsonAsync(settings.TokenEndpoint,
            new { clientId = settings.ClientId, clientSecret = settings.ClientSecret }, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(
                $"The token endpoint {settings.TokenEndpoint} refused client '{settings.ClientId}' ({(int)response.StatusCode}).",
                inner: null, response.StatusCode);
        }
        var token = await response.Content.ReadFromJsonAsync<ServiceTokenResponse>(cancellationToken)
            ?? throw new HttpRequestException($"The token endpoint {settings.TokenEndpoint} answered an empty body.");
        var expiresAt = timeProvider.GetUtcNow() + TimeSpan.FromSeconds(token.ExpiresIn);
        Volatile.Write(ref _current, new CachedToken(token.AccessToken, expiresAt - settings.RenewBeforeExpiry, expiresAt - ExpiryMargin));
        LogIssued(settings.ClientId, string.Join(' ', token.Scopes), token.ExpiresIn);
        return token.AccessToken;
    }

    /// <summary>Forgets a token a service refused (e.g. after the issuer's keys changed), so the next call gets a new one.</summary>
    public void Invalidate(string token)
    {
        var current = Volatile.Read(ref _current);
        if (current?.Token == token)
        {
            Interlocked.CompareExchange(ref _current, null, current);
        }
    }

    private bool InDate(CachedToken? token) => token is not null && timeProvider.GetUtcNow() < token.UsableUntil;

    private sealed record CachedToken(string Token, DateTimeOffset RenewAt, DateTimeOffset UsableUntil);

    [LoggerMessage(LogLevel.Warning, "Renewing the service token of {ClientId} failed ({Reason}); the current one is used while it lasts")]
    private partial void LogRenewalFailed(string clientId, string reason);

    [LoggerMessage(LogLevel.Information, "Service token issued to {ClientId} for scopes [{Scopes}], valid {ExpiresIn} s")]
    private partial void LogIssued(string clientId, string scopes, long expiresIn);
}
