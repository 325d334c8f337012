using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.ServiceDiscovery.Http;
using Polly.CircuitBreaker;
using ServiceDefaults.Tests.Infrastructure;

namespace ServiceDefaults.Tests.Resilience;

/// <summary>Service discovery and resilience as AddServiceDefaults wires them into every HttpClient.</summary>
public sealed class ServiceDefaultsHttpClientTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Logical_name_is_sent_to_the_endpoint_the_apphost_configures_keeping_path_and_query()
    {
        await using var server = await TestWebApp.StartAsync(app =>
            app.MapGet("/api/catalog/products", (HttpRequest request) => $"{request.Host} {request.Path}{request.QueryString}"));
        // As the AppHost passes it: services__catalog-api__http__0=http://127.0.0.1:PORT
        using var host = BuildHost(new() { ["services__catalog-api__http__0"] = server.BaseAddress.ToString() });

        var body = await Client(host, "http://catalog-api").GetStringAsync("/api/catalog/products?q=tent&page=2", Cancel);

        Assert.Equal($"127.0.0.1:{server.Port} /api/catalog/products?q=tent&page=2", body);
    }

    [Fact]
    public async Task Host_without_configured_endpoint_is_left_untouched()
    {
        var transport = new ScriptedHandler();
        using var host = BuildHost(new() { ["services__catalog-api__http__0"] = "http://127.0.0.1:5001" }, transport);

        await Client(host, "http://example.test:8080").GetAsync("/a/b?c=d", Cancel);

        Assert.Equal(new Uri("http://example.test:8080/a/b?c=d"), Assert.Single(transport.Sent).Uri);
    }

    [Fact]
    public async Task Each_retry_resolves_the_service_again_and_can_reach_another_instance()
    {
        var brokenHits = new StrongBox<int>();
        await using var broken = await StartFailingReplicaAsync(brokenHits);
        await using var healthy = await TestWebApp.StartAsync(app => app.MapGet("/who", () => "healthy"));
        using var host = BuildHost(new()
        {
            ["services__catalog-api__http__0"] = broken.BaseAddress.ToString(),
            ["services__catalog-api__http__1"] = healthy.BaseAddress.ToString(),
        });

        // Round robin sends some first attempts to the broken instance: their retries must reach the healthy one.
        var client = Client(host, "http://catalog-api");
        for (var i = 0; i < 4; i++)
        {
            using var response = await client.GetAsync("/who", Cancel);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("healthy", await response.Content.ReadAsStringAsync(Cancel));
        }

        Assert.InRange(brokenHits.Value, 1, 4);
    }

    [Fact]
    public async Task Circuit_opens_for_one_authority_only()
    {
        var transport = new ScriptedHandler(ScriptedHandler.Status(HttpStatusCode.InternalServerError));
        using var host = BuildHost(new(), transport, options =>
        {
            options.CircuitBreaker.MinimumThroughput = 2;
            options.CircuitBreaker.FailureRatio = 0.5;
            options.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(30);
        });
        var catalog = Client(host, "http://catalog.test");
        var ordering = Client(host, "http://ordering.test");

        // POSTs without an Idempotency-Key are not retried: one call each.
        (await catalog.PostAsync("/a", content: null, Cancel)).Dispose();
        (await catalog.PostAsync("/a", content: null, Cancel)).Dispose();
        await Assert.ThrowsAsync<BrokenCircuitException>(() => catalog.PostAsync("/a", content: null, Cancel));
        Assert.Equal(2, transport.Calls);

        (await ordering.PostAsync("/a", content: null, Cancel)).Dispose();
        Assert.Equal(3, transport.Calls);
    }

    [Fact]
    public async Task A_replica_that_refuses_connections_is_skipped_even_by_a_post_without_idempotency_key()
    {
        var liveHits = 0;
        await using var live = await TestWebApp.StartAsync(app => app.MapPost("/carts", () =>
        {
            Interlocked.Increment(ref liveHits);
            return "live";
        }));
        using var host = BuildHost(new()
        {
            ["services__catalog-api__http__0"] = $"http://127.0.0.1:{FreePort.Next()}", // nothing listens: a dead replica
            ["services__catalog-api__http__1"] = live.BaseAddress.ToString(),
        });

        // A refused connection sent nothing: the call may go to the next replica whatever its method.
        var client = Client(host, "http://catalog-api");
        for (var i = 0; i < 10; i++)
        {
            using var response = await client.PostAsync("/carts", content: null, Cancel);
            Assert.Equal("live", await response.Content.ReadAsStringAsync(Cancel));
        }

        Assert.Equal(10, liveHits);
    }

    [Fact]
    public async Task A_failing_replica_opens_its_own_breaker_and_the_other_replica_keeps_serving()
    {
        var failingHits = new StrongBox<int>();
        await using var failing = await StartFailingReplicaAsync(failingHits);
        await using var healthy = await TestWebApp.StartAsync(app => app.Map("/who", () => "healthy"));
        using var host = BuildHost(new()
        {
            ["services__catalog-api__http__0"] = failing.BaseAddress.ToString(),
            ["services__catalog-api__http__1"] = healthy.BaseAddress.ToString(),
        }, configure: options =>
        {
            options.CircuitBreaker.MinimumThroughput = 2;
            options.CircuitBreaker.FailureRatio = 0.5;
            options.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(30);
        });
        var client = Client(host, "http://catalog-api");

        // GETs: a 503 is retried on the next replica. The failing replica's breaker opens after its second 503; the
        // healthy replica's successes count in a breaker of its own, which stays closed.
        for (var i = 0; i < 10; i++)
        {
            using var response = await client.GetAsync("/who", Cancel);
            Assert.Equal("healthy", await response.Content.ReadAsStringAsync(Cancel));
        }
        Assert.Equal(2, failingHits.Value);

        // With the failing replica's breaker open, a POST without Idempotency-Key that picks it is sent to the other one
        // (nothing was sent); before, a 503 it answered would have been final (a POST is not repeated).
        for (var i = 0; i < 10; i++)
        {
            using var response = await client.PostAsync("/who", content: null, Cancel);
            Assert.Equal("healthy", await response.Content.ReadAsStringAsync(Cancel));
        }
        Assert.Equal(2, failingHits.Value);
    }

    [Fact]
    public async Task When_every_replica_is_down_a_caller_answers_503_with_retry_after_at_once()
    {
        var hits = new StrongBox<int>();
        await using var first = await StartFailingReplicaAsync(hits);
        var settings = new Dictionary<string, string?>
        {
            ["services:catalog-api:http:0"] = first.BaseAddress.ToString(),
            ["services:catalog-api:http:1"] = $"http://127.0.0.1:{FreePort.Next()}",
        };
        // A service whose endpoint calls catalog-api, with the defaults: the first retry after 1 s, so a retry shows.
        await using var caller = await TestWebApp.StartAsync(
            app => app.MapGet("/products", async (IHttpClientFactory clients) =>
            {
                var http = clients.CreateClient();
                http.BaseAddress = new Uri("http://catalog-api");
                return await http.GetStringAsync("/who");
            }),
            builder =>
            {
                builder.AddServiceDefaults();
                builder.Services.ConfigureAll<HttpStandardResilienceOptions>(options =>
                {
                    options.Retry.Delay = TimeSpan.FromSeconds(1);
                    options.CircuitBreaker.MinimumThroughput = 2;
                    options.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(30);
                });
            },
            settings);
        using var client = caller.CreateClient();

        // Opens both breakers (the first call's attempts count in them), then every call fails before any is sent.
        (await client.GetAsync("/products", Cancel)).Dispose();
        var hitsWithBreakersOpen = hits.Value;
        var started = System.Diagnostics.Stopwatch.StartNew();
        using var response = await client.GetAsync("/products", Cancel);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        Assert.Equal(hitsWithBreakersOpen, hits.Value);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(1), $"took {started.Elapsed}: an open breaker was waited on");
    }

    [Fact]
    public void Every_client_gets_retries_above_discovery_and_a_breaker_per_replica_below_except_the_otlp_exporter_clients()
    {
        using var host = BuildHost(new());
        var handlers = host.Services.GetRequiredService<IHttpMessageHandlerFactory>();

        Assert.Equal(["ResilienceHandler", "ResolvingHttpDelegatingHandler", "ResilienceHandler"], HandlerChain(handlers.CreateHandler("catalog")));
        foreach (var exporterClient in new[] { "OtlpTraceExporter", "OtlpMetricExporter", "OtlpLogExporter" })
        {
            Assert.Equal(["ResolvingHttpDelegatingHandler"], HandlerChain(handlers.CreateHandler(exporterClient)));
        }
    }

    /// <summary>A replica that answers every request to /who with 503, counting them.</summary>
    private static Task<TestWebApp> StartFailingReplicaAsync(StrongBox<int> hits) => TestWebApp.StartAsync(app => app.Map("/who", () =>
    {
        Interlocked.Increment(ref hits.Value);
        return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
    }));

    /// <summary>The handlers of the resilience and service discovery packages, outermost first.</summary>
    private static List<string> HandlerChain(HttpMessageHandler handler)
    {
        var packages = new[] { typeof(ResilienceHandler).Assembly, typeof(IServiceDiscoveryHttpMessageHandlerFactory).Assembly };
        var names = new List<string>();
        for (var current = handler; current is DelegatingHandler delegating; current = delegating.InnerHandler)
        {
            if (packages.Contains(delegating.GetType().Assembly))
            {
                names.Add(delegating.GetType().Name);
            }
        }

        return names;
    }

    private static IHost BuildHost(
        Dictionary<string, string?> settings,
        ScriptedHandler? transport = null,
        Action<HttpStandardResilienceOptions>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        // Environment-variable style keys (services__x__http__0), read the way the environment provider reads them.
        builder.Configuration.AddInMemoryCollection(settings.ToDictionary(pair => pair.Key.Replace("__", ":"), pair => pair.Value));
        builder.AddServiceDefaults();
        builder.Services.ConfigureAll<HttpStandardResilienceOptions>(options =>
        {
            options.Retry.Delay = TimeSpan.FromMilliseconds(10);
            configure?.Invoke(options);
        });
        if (transport is not null)
        {
            builder.Services.ConfigureHttpClientDefaults(http => http.ConfigurePrimaryHttpMessageHandler(() => transport));
        }

        return builder.Build();
    }

    private static HttpClient Client(IHost host, string baseAddress)
    {
        var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient();
        client.BaseAddress = new Uri(baseAddress);
        return client;
    }
}
