using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using Storefront.Auth;
using Storefront.Model;

namespace Storefront.Tests;

/// <summary>
/// The server-side sign-in sessions against a real Redis (redis-server from the OS packages, started for these tests)
/// and OrderingApi's refresh endpoint answered at the HTTP layer: refresh tokens work once, so concurrent refreshes of
/// one session must make exactly one call.
/// </summary>
public sealed class TokenStoreTests : IAsyncLifetime
{
    private readonly int _port = FreePort();
    private Process? _redis;
    private ConnectionMultiplexer? _connection;
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 21, 8, 0, 0, TimeSpan.Zero));

    public async ValueTask InitializeAsync()
    {
        _redis = Process.Start(new ProcessStartInfo("redis-server", ["--port", _port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        { RedirectStandardOutput = true, UseShellExecute = false })!;
        for (var attempt = 0; _connection is null; attempt++)
        {
            try
            {
                _connection = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{_port}");
            }
            catch (RedisConnectionException) when (attempt < 50)
            {
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _connection?.Dispose();
        if (_redis is { HasExited: false })
        {
            _redis.Kill();
            _redis.WaitForExit();
        }
        _redis?.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task A_valid_access_token_is_used_without_asking_ordering_api()
    {
        var identity = new FakeIdentity();
        var store = Store(identity);
        var session = await store.CreateAsync(new TokenResponse("access-0", "refresh-0", 900));

        _clock.Advance(TimeSpan.FromMinutes(14));

        Assert.Equal("access-0", await store.GetAccessTokenAsync(session, TestContext.Current.CancellationToken));
        Assert.Equal(0, identity.Refreshes);
    }

    [Fact]
    public async Task An_expiring_token_is_refreshed_once_however_many_ask_at_the_same_time()
    {
        var identity = new FakeIdentity();
        var store = Store(identity);
        var session = await store.CreateAsync(new TokenResponse("access-0", "refresh-0", 900));
        _clock.Advance(TimeSpan.FromSeconds(900 - 10));

        var tokens = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => store.GetAccessTokenAsync(session, TestContext.Current.CancellationToken)));

        Assert.All(tokens, token => Assert.Equal("access-1", token));
        Assert.Equal(1, identity.Refreshes);
        Assert.Equal("refresh-1", (await store.GetAsync(session))!.RefreshToken);
    }

    [Fact]
    public async Task A_refused_refresh_ends_the_session()
    {
        var identity = new FakeIdentity { Refuse = true };
        var store = Store(identity);
        var session = await store.CreateAsync(new TokenResponse("access-0", "refresh-0", 900));
        _clock.Advance(TimeSpan.FromMinutes(16));

        Assert.Null(await store.GetAccessTokenAsync(session, TestContext.Current.CancellationToken));
        Assert.False(await store.ExistsAsync(session));
    }

    private TokenStore Store(FakeIdentity identity) =>
        new(_connection!, new SingleClientFactory(identity), _clock, NullLogger<TokenStore>.Instance);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>OrderingApi's refresh endpoint as it behaves: each refresh token works once and gives the next.</summary>
    private sealed class FakeIdentity : HttpMessageHandler
    {
        private int _generation;

        public int Refreshes;

        public bool Refuse { get; init; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Assert.Equal("/api/identity/refresh", request.RequestUri!.AbsolutePath);
            Interlocked.Increment(ref Refreshes);
            await Task.Delay(200, cancellationToken); // long enough for the other callers to arrive meanwhile
            using var body = JsonDocument.Parse(await request.Content!.ReadAsStringAsync(cancellationToken));
            if (Refuse || body.RootElement.GetProperty("refreshToken").GetString() != $"refresh-{_generation}")
            {
                return new HttpResponseMessage(HttpStatusCode.Unauthorized);
            }
            var next = Interlocked.Increment(ref _generation);
            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent($$"""{"tokenType":"Bearer","accessToken":"access-{{next}}","expiresIn":900,"refreshToken":"refresh-{{next}}"}""",
                    System.Text.Encoding.UTF8, "application/json"),
            };
        }
    }

    private sealed class SingleClientFactory(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false) { BaseAddress = new Uri("http://ordering-api") };
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
