using System.Net.Http.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ECommerce.ServiceDefaults.Authentication.ServiceTokens;

/// <summary>The answer of OrderingApi's <c>POST /api/identity/service-token</c>.</summary>
public sealed record ServiceTokenResponse(string TokenType, string AccessToken, long ExpiresIn, IReadOnlyList<string> Scopes);

/// <summary>
/// Gets this service's token with its client credentials and keeps it until shortly before it expires.
/// One request at a time refreshes it; the others wait for that one. A singleton: the cache is shared.
/// </summary>
public sealed partial class ServiceTokenClient(
    IHttpClientFactory httpClientFactory,
    IOptions<ServiceTokenOptions> options,
    TimeProvider timeProvider,
    ILogger<ServiceTokenClient> logger)
{
    /// <summary>The named HttpClient that calls the token endpoint (with the default resilience and discovery).</summary>
    public const string HttpClientName = "ServiceTokens";

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private CachedToken? _current;

    /// <summary>A token valid for at least <see cref="ServiceTokenOptions.RenewBeforeExpiry"/>, from the cache or the token endpoint.</summary>
    public async Task<string> GetTokenAsync(CancellationToken cancellationToken = default)
    {
        if (Valid(Volatile.Read(ref _current)) is { } cached)
        {
            return cached;
        }
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (Valid(_current) is { } refreshed)
            {
                return refreshed;
            }
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
            var renewAt = timeProvider.GetUtcNow() + TimeSpan.FromSeconds(token.ExpiresIn) - settings.RenewBeforeExpiry;
            Volatile.Write(ref _current, new CachedToken(token.AccessToken, renewAt));
            LogIssued(settings.ClientId, string.Join(' ', token.Scopes), token.ExpiresIn);
            return token.AccessToken;
        }
        finally
        {
            _refresh.Release();
        }
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

    private string? Valid(CachedToken? token) => token is not null && timeProvider.GetUtcNow() < token.RenewAt ? token.Token : null;

    private sealed record CachedToken(string Token, DateTimeOffset RenewAt);

    [LoggerMessage(LogLevel.Information, "Service token issued to {ClientId} for scopes [{Scopes}], valid {ExpiresIn} s")]
    private partial void LogIssued(string clientId, string scopes, long expiresIn);
}
