using System.Diagnostics;
using System.Net;
using System.Text;
using ECommerce.ServiceDefaults.Resilience;
using Microsoft.Extensions.DependencyInjection;
using Polly.CircuitBreaker;
using Polly.Timeout;
using ServiceDefaults.Tests.Infrastructure;

namespace ServiceDefaults.Tests.Resilience;

public sealed class ResilienceHandlerTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Get_is_retried_after_503_then_succeeds()
    {
        var transport = new ScriptedHandler(
            ScriptedHandler.Status(HttpStatusCode.ServiceUnavailable),
            ScriptedHandler.Status(HttpStatusCode.ServiceUnavailable),
            ScriptedHandler.Status(HttpStatusCode.OK));
        using var services = ClientServices(transport);

        using var response = await Client(services).GetAsync("http://catalog.test/items", Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, transport.Calls);
    }

    [Fact]
    public async Task Get_gives_up_after_the_configured_retries_and_returns_the_last_response()
    {
        var transport = new ScriptedHandler(ScriptedHandler.Status(HttpStatusCode.BadGateway));
        using var services = ClientServices(transport, options => options.MaxRetryAttempts = 2);

        using var response = await Client(services).GetAsync("http://catalog.test/items", Cancel);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(3, transport.Calls);
    }

    [Fact]
    public async Task Not_found_is_not_retried()
    {
        var transport = new ScriptedHandler(ScriptedHandler.Status(HttpStatusCode.NotFound));
        using var services = ClientServices(transport);

        using var response = await Client(services).GetAsync("http://catalog.test/items/42", Cancel);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(1, transport.Calls);
    }

    [Fact]
    public async Task Post_without_idempotency_key_is_not_retried()
    {
        var transport = new ScriptedHandler(ScriptedHandler.Status(HttpStatusCode.ServiceUnavailable), ScriptedHandler.Status(HttpStatusCode.OK));
        using var services = ClientServices(transport);

        using var response = await Client(services).PostAsync("http://ordering.test/api/orders", new StringContent("{}"), Cancel);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, transport.Calls);
    }

    [Fact]
    public async Task Post_with_idempotency_key_is_retried_with_the_same_body()
    {
        var transport = new ScriptedHandler(ScriptedHandler.Status(HttpStatusCode.ServiceUnavailable), ScriptedHandler.Status(HttpStatusCode.Created));
        using var services = ClientServices(transport);
        // A stream that can be read once only: the handler must buffer it to send it twice.
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://ordering.test/api/orders")
        {
            Content = new StreamContent(new ReadOnceStream(Encoding.UTF8.GetBytes("{\"cartId\":7}"))),
            Headers = { { "Idempotency-Key", "order-7" } },
        };

        using var response = await Client(services).SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(["{\"cartId\":7}", "{\"cartId\":7}"], transport.Sent.Select(sent => sent.Body));
    }

    [Fact]
    public async Task Network_error_on_a_get_is_retried()
    {
        var transport = new ScriptedHandler(
            (_, _) => throw new HttpRequestException("Connection refused"),
            ScriptedHandler.Status(HttpStatusCode.OK));
        using var services = ClientServices(transport);

        using var response = await Client(services).GetAsync("http://catalog.test/items", Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, transport.Calls);
    }

    [Fact]
    public async Task Slow_attempt_times_out_and_is_retried()
    {
        var transport = new ScriptedHandler(
            async (_, token) =>
            {
                await Task.Delay(TimeSpan.FromSeconds(10), token);
                return new HttpResponseMessage(HttpStatusCode.OK);
            },
            ScriptedHandler.Status(HttpStatusCode.OK));
        using var services = ClientServices(transport, options => options.AttemptTimeout = TimeSpan.FromMilliseconds(200));

        var watch = Stopwatch.StartNew();
        using var response = await Client(services).GetAsync("http://catalog.test/items", Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, transport.Calls);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Total_timeout_ends_the_call_with_timeout_rejected()
    {
        var transport = new ScriptedHandler(async (_, token) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(10), token);
            return new HttpResponseMessage(HttpStatusCode.OK);
        });
        using var services = ClientServices(transport, options =>
        {
            options.AttemptTimeout = TimeSpan.FromMilliseconds(200);
            options.TotalRequestTimeout = TimeSpan.FromMilliseconds(500);
        });

        await Assert.ThrowsAsync<TimeoutRejectedException>(() => Client(services).GetAsync("http://catalog.test/items", Cancel));
    }

    [Fact]
    public async Task Circuit_opens_after_repeated_failures_and_only_for_that_authority()
    {
        var transport = new ScriptedHandler(ScriptedHandler.Status(HttpStatusCode.InternalServerError));
        using var services = ClientServices(transport, options =>
        {
            options.MaxRetryAttempts = 0;
            options.CircuitBreakerMinimumThroughput = 2;
            options.CircuitBreakerFailureRatio = 0.5;
            options.CircuitBreakerBreakDuration = TimeSpan.FromSeconds(30);
        });
        var client = Client(services);

        (await client.GetAsync("http://catalog.test/a", Cancel)).Dispose();
        (await client.GetAsync("http://catalog.test/a", Cancel)).Dispose();

        await Assert.ThrowsAsync<BrokenCircuitException>(() => client.GetAsync("http://catalog.test/a", Cancel));
        Assert.Equal(2, transport.Calls);

        (await client.GetAsync("http://ordering.test/a", Cancel)).Dispose();
        Assert.Equal(3, transport.Calls);
    }

    [Fact]
    public async Task Retry_after_header_sets_the_delay()
    {
        var transport = new ScriptedHandler(
            (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Headers = { RetryAfter = new(TimeSpan.FromSeconds(1)) } }),
            ScriptedHandler.Status(HttpStatusCode.OK));
        using var services = ClientServices(transport);

        var watch = Stopwatch.StartNew();
        using var response = await Client(services).GetAsync("http://catalog.test/items", Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(900), TimeSpan.FromSeconds(5));
    }

    private static ServiceProvider ClientServices(ScriptedHandler transport, Action<HttpStandardResilienceOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHttpClient("test")
            .AddStandardResilienceHandler(options =>
            {
                options.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
                configure?.Invoke(options);
            })
            .ConfigurePrimaryHttpMessageHandler(() => transport);
        return services.BuildServiceProvider();
    }

    private static HttpClient Client(IServiceProvider services) =>
        services.GetRequiredService<IHttpClientFactory>().CreateClient("test");

    private sealed class ReadOnceStream(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;

        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();

        public override long Position
        {
            get => base.Position;
            set => throw new NotSupportedException();
        }

        public override long Length => throw new NotSupportedException();
    }
}
