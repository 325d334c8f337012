using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using ECommerce.ServiceDefaults.Authentication.ServiceTokens;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ServiceDefaults.Tests.Infrastructure;

namespace ServiceDefaults.Tests.Authentication;

/// <summary>The tokens a service sends: the user's (forwarded) or its own (client credentials, cached).</summary>
public sealed class OutgoingTokenTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_callers_bearer_token_is_forwarded_and_nothing_else()
    {
        var backend = new ScriptedHandler();
        var accessor = new HttpContextAccessor();
        using var services = new ServiceCollection()
            .AddSingleton<IHttpContextAccessor>(accessor)
            .AddHttpClient("catalog").AddUserTokenForwarding().ConfigurePrimaryHttpMessageHandler(() => backend).Services
            .BuildServiceProvider();
        var client = services.GetRequiredService<IHttpClientFactory>().CreateClient("catalog");

        async Task<AuthenticationHeaderValue?> SendAsync(string? incoming, AuthenticationHeaderValue? explicitHeader = null)
        {
            var context = new DefaultHttpContext();
            if (incoming is not null)
            {
                context.Request.Headers.Authorization = incoming;
            }
            accessor.HttpContext = context;
            using var request = new HttpRequestMessage(HttpMethod.Get, "http://catalog.test/api/catalog/products");
            request.Headers.Authorization = explicitHeader;
            using var response = await client.SendAsync(request, Cancel);
            return response.RequestMessage!.Headers.Authorization;
        }

        Assert.Equal(new AuthenticationHeaderValue("Bearer", "user-token"), await SendAsync("Bearer user-token"));
        Assert.Null(await SendAsync(null));
        Assert.Null(await SendAsync("Basic dXNlcjpwYXNz"));
        Assert.Equal(new AuthenticationHeaderValue("Bearer", "mine"), await SendAsync("Bearer user-token", new AuthenticationHeaderValue("Bearer", "mine")));
    }

    [Fact]
    public async Task The_service_token_is_fetched_once_cached_and_renewed_before_it_expires()
    {
        var time = new ManualTime(DateTimeOffset.Parse("2026-11-21T10:00:00Z"));
        var issued = 0;
        var tokenEndpoint = new ScriptedHandler((_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = JsonContent.Create(new ServiceTokenResponse("Bearer", $"token-{Interlocked.Increment(ref issued)}", 600, ["sales:read"])),
        }));
        var backend = new ScriptedHandler();
        using var host = ServiceTokenServices(time, tokenEndpoint, backend);
        var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("ordering");

        var seen = new List<string?>();
        async Task CallAsync()
        {
            using var response = await client.GetAsync("http://ordering.test/api/sales/daily", Cancel);
            seen.Add(response.RequestMessage!.Headers.Authorization?.Parameter);
        }

        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => CallAsync()));
        time.Now += TimeSpan.FromMinutes(8);   // 10 min tokens are renewed 1 min before they end
        await CallAsync();
        time.Now += TimeSpan.FromMinutes(1.5); // due: renewed in the background, this call goes on with the token in date
        await CallAsync();
        await WaitForAsync(() => tokenEndpoint.Calls == 2);
        await CallAsync();

        Assert.Equal(["token-1", "token-1", "token-1", "token-1", "token-1", "token-1", "token-1", "token-2"], seen);
        Assert.Equal(2, tokenEndpoint.Calls);
        Assert.All(tokenEndpoint.Sent, request => Assert.Equal(
            """{"clientId":"forecast-worker","clientSecret":"generated-secret"}""", request.Body));
    }

    [Fact]
    public async Task A_token_endpoint_refusing_renewals_delays_no_call_while_the_token_is_in_date()
    {
        var time = new ManualTime(DateTimeOffset.Parse("2026-11-21T10:00:00Z"));
        // The first token, then 429s (the address's sign-in attempts ran out).
        var tokenEndpoint = new ScriptedHandler(
            (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = JsonContent.Create(new ServiceTokenResponse("Bearer", "token-1", 600, [])),
            }),
            ScriptedHandler.Status(HttpStatusCode.TooManyRequests));
        var backend = new ScriptedHandler();
        using var host = ServiceTokenServices(time, tokenEndpoint, backend);
        var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("ordering");
        async Task<string?> CallAsync()
        {
            using var response = await client.GetAsync("http://ordering.test/api/sales/daily", Cancel);
            return response.RequestMessage!.Headers.Authorization?.Parameter;
        }

        Assert.Equal("token-1", await CallAsync());
        time.Now += TimeSpan.FromMinutes(9.5);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal("token-1", await CallAsync());
        }
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"20 calls took {clock.Elapsed}");
        await WaitForAsync(() => tokenEndpoint.Calls >= 2);
        var refused = tokenEndpoint.Calls;

        // A failed renewal is not tried again at once: the next is due RetryRenewalAfter later.
        Assert.Equal("token-1", await CallAsync());
        await Task.Delay(200, Cancel);
        Assert.Equal(refused, tokenEndpoint.Calls);
        time.Now += ServiceTokenClient.RetryRenewalAfter;
        Assert.Equal("token-1", await CallAsync());
        await WaitForAsync(() => tokenEndpoint.Calls > refused);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var waited = 0; !condition(); waited += 20)
        {
            Assert.True(waited < 5_000, "not within 5 s");
            await Task.Delay(20, Cancel);
        }
    }

    [Fact]
    public async Task A_refused_service_token_is_replaced_once()
    {
        var issued = 0;
        var tokenEndpoint = new ScriptedHandler((_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = JsonContent.Create(new ServiceTokenResponse("Bearer", $"token-{Interlocked.Increment(ref issued)}", 600, [])),
        }));
        var backend = new ScriptedHandler(ScriptedHandler.Status(HttpStatusCode.Unauthorized), ScriptedHandler.Status(HttpStatusCode.OK));
        using var host = ServiceTokenServices(TimeProvider.System, tokenEndpoint, backend);

        using var response = await host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("ordering")
            .GetAsync("http://ordering.test/api/sales/daily", Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("token-2", response.RequestMessage!.Headers.Authorization?.Parameter);
        Assert.Equal(2, tokenEndpoint.Calls);
    }

    private static IHost ServiceTokenServices(TimeProvider time, ScriptedHandler tokenEndpoint, ScriptedHandler backend)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ServiceAuthentication:ClientId"] = "forecast-worker",
            ["ServiceAuthentication:ClientSecret"] = "generated-secret",
            ["ServiceAuthentication:TokenEndpoint"] = "http://ordering.test/api/identity/service-token",
        });
        builder.AddServiceTokens();
        builder.Services.AddSingleton(time);
        builder.Services.AddHttpClient(ServiceTokenClient.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => tokenEndpoint);
        builder.Services.AddHttpClient("ordering").AddServiceToken().ConfigurePrimaryHttpMessageHandler(() => backend);
        return builder.Build();
    }
}
