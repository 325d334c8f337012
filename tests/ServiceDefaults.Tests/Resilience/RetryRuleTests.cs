using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using ServiceDefaults.Tests.Infrastructure;

namespace ServiceDefaults.Tests.Resilience;

/// <summary>
/// Our rule on top of the standard resilience handler: a request is sent again only when it is safe to repeat
/// (an idempotent method, or any method with an Idempotency-Key header).
/// </summary>
public sealed class RetryRuleTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("GET", false, 2)]
    [InlineData("HEAD", false, 2)]
    [InlineData("PUT", false, 2)]
    [InlineData("DELETE", false, 2)]
    [InlineData("POST", false, 1)]
    [InlineData("PATCH", false, 1)]
    [InlineData("POST", true, 2)]
    [InlineData("PATCH", true, 2)]
    public async Task A_503_is_retried_only_when_the_request_is_safe_to_repeat(string method, bool withIdempotencyKey, int expectedCalls)
    {
        var transport = new ScriptedHandler(ScriptedHandler.Status(HttpStatusCode.ServiceUnavailable), ScriptedHandler.Status(HttpStatusCode.OK));
        using var host = BuildHost(transport);
        using var request = new HttpRequestMessage(new HttpMethod(method), "http://catalog.test/api/items");
        if (withIdempotencyKey)
        {
            request.Headers.Add("Idempotency-Key", "key-1");
        }

        using var response = await Client(host).SendAsync(request, Cancel);

        Assert.Equal(expectedCalls, transport.Calls);
        Assert.Equal(expectedCalls == 2 ? HttpStatusCode.OK : HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task A_500_is_not_retried_even_when_safe_to_repeat()
    {
        var transport = new ScriptedHandler(ScriptedHandler.Status(HttpStatusCode.InternalServerError), ScriptedHandler.Status(HttpStatusCode.OK));
        using var host = BuildHost(transport);

        using var response = await Client(host).GetAsync("http://catalog.test/api/items", Cancel);

        Assert.Equal(1, transport.Calls);
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
    }

    [Fact]
    public async Task A_503_with_retry_after_is_passed_on_at_once()
    {
        var transport = new ScriptedHandler(
            (_, _) =>
            {
                var unavailable = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
                unavailable.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(5));
                return Task.FromResult(unavailable);
            },
            ScriptedHandler.Status(HttpStatusCode.OK));
        using var host = BuildHost(transport);
        var started = System.Diagnostics.Stopwatch.StartNew();

        using var response = await Client(host).GetAsync("http://catalog.test/api/items", Cancel);

        Assert.Equal(1, transport.Calls);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(4), $"took {started.Elapsed}");
    }

    [Fact]
    public async Task Post_with_idempotency_key_is_retried_after_a_network_error_with_the_same_body()
    {
        var transport = new ScriptedHandler(
            (_, _) => throw new HttpRequestException("Connection reset"),
            ScriptedHandler.Status(HttpStatusCode.Created));
        using var host = BuildHost(transport);
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://ordering.test/api/reservations")
        {
            Content = JsonContent.Create(new { cartId = 7 }),
            Headers = { { "Idempotency-Key", "order-7" } },
        };

        using var response = await Client(host).SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(["{\"cartId\":7}", "{\"cartId\":7}"], transport.Sent.Select(sent => sent.Body));
    }

    [Fact]
    public async Task A_get_answered_404_is_not_retried()
    {
        var transport = new ScriptedHandler(ScriptedHandler.Status(HttpStatusCode.NotFound), ScriptedHandler.Status(HttpStatusCode.OK));
        using var host = BuildHost(transport);

        using var response = await Client(host).GetAsync("http://catalog.test/api/items/42", Cancel);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(1, transport.Calls);
    }

    [Fact]
    public async Task The_rule_also_holds_for_a_standard_handler_a_client_adds_itself()
    {
        // ForecastWorker's clients replace the defaults' handler with their own, with their own options.
        var transport = new ScriptedHandler(ScriptedHandler.Status(HttpStatusCode.BadGateway));
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental
        using var host = BuildHost(transport, http => http
            .RemoveAllResilienceHandlers()
            .AddStandardResilienceHandler(options => options.Retry.MaxRetryAttempts = 5));
#pragma warning restore EXTEXP0001
        var client = Client(host);

        using var post = await client.PostAsync("http://ordering.test/api/orders", JsonContent.Create(new { cartId = 7 }), Cancel);
        Assert.Equal(HttpStatusCode.BadGateway, post.StatusCode);
        Assert.Equal(1, transport.Calls);

        // The client's own options apply: 5 retries (the default is 3).
        using var get = await client.GetAsync("http://ordering.test/api/orders", Cancel);
        Assert.Equal(HttpStatusCode.BadGateway, get.StatusCode);
        Assert.Equal(1 + 6, transport.Calls);
    }

    private static IHost BuildHost(ScriptedHandler transport, Action<IHttpClientBuilder>? configureClient = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.AddServiceDefaults();
        builder.Services.ConfigureAll<HttpStandardResilienceOptions>(options => options.Retry.Delay = TimeSpan.FromMilliseconds(10));
        var http = builder.Services.AddHttpClient("test").ConfigurePrimaryHttpMessageHandler(() => transport);
        configureClient?.Invoke(http);
        return builder.Build();
    }

    private static HttpClient Client(IHost host) =>
        host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("test");
}
