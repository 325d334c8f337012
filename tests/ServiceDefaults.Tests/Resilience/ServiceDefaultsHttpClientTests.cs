using System.Net;
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
        var brokenHits = 0;
        await using var broken = await TestWebApp.StartAsync(app => app.MapGet("/who", () =>
        {
            Interlocked.Increment(ref brokenHits);
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }));
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

        Assert.InRange(brokenHits, 1, 4);
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
    public void Every_client_gets_resilience_outside_discovery_except_the_otlp_exporter_clients()
    {
        using var host = BuildHost(new());
        var handlers = host.Services.GetRequiredService<IHttpMessageHandlerFactory>();

        Assert.Equal(["ResilienceHandler", "ResolvingHttpDelegatingHandler"], HandlerChain(handlers.CreateHandler("catalog")));
        foreach (var exporterClient in new[] { "OtlpTraceExporter", "OtlpMetricExporter", "OtlpLogExporter" })
        {
            Assert.Equal(["ResolvingHttpDelegatingHandler"], HandlerChain(handlers.CreateHandler(exporterClient)));
        }
    }

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
