using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ServiceDefaults.Tests.Infrastructure;

namespace ServiceDefaults.Tests.Resilience;

/// <summary>The handlers as AddServiceDefaults wires them into every HttpClient.</summary>
public sealed class ServiceDefaultsHttpClientTests
{
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

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["services:catalog-api:http:0"] = broken.BaseAddress.ToString(),
            ["services:catalog-api:http:1"] = healthy.BaseAddress.ToString(),
        });
        builder.AddServiceDefaults();
        builder.Services.ConfigureAll<ECommerce.ServiceDefaults.Resilience.HttpStandardResilienceOptions>(
            options => options.RetryBaseDelay = TimeSpan.FromMilliseconds(10));
        builder.Services.AddHttpClient("catalog", client => client.BaseAddress = new Uri("https+http://catalog-api"));
        using var host = builder.Build();

        var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("catalog");
        using var response = await client.GetAsync("/who", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("healthy", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(1, brokenHits);
    }

    [Fact]
    public async Task Missing_endpoint_configuration_fails_at_once_without_retries()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.AddServiceDefaults();
        using var host = builder.Build();
        var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient();

        var watch = System.Diagnostics.Stopwatch.StartNew();
        await Assert.ThrowsAsync<InvalidOperationException>(
            () => client.GetAsync("http://_http.catalog-api/api/catalog/products", TestContext.Current.CancellationToken));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Every_client_gets_resilience_outside_discovery_except_the_otlp_exporter_clients()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.AddServiceDefaults();
        using var host = builder.Build();
        var handlers = host.Services.GetRequiredService<IHttpMessageHandlerFactory>();

        Assert.Equal(["ResilienceHandler", "ServiceDiscoveryHandler"], HandlerChain(handlers.CreateHandler("catalog")));
        Assert.Equal(["ServiceDiscoveryHandler"], HandlerChain(handlers.CreateHandler("OtlpTraceExporter")));
    }

    private static List<string> HandlerChain(HttpMessageHandler handler)
    {
        var names = new List<string>();
        for (var current = handler; current is DelegatingHandler delegating; current = delegating.InnerHandler)
        {
            if (delegating.GetType().Assembly == typeof(ECommerce.ServiceDefaults.Resilience.HttpStandardResilienceOptions).Assembly)
            {
                names.Add(delegating.GetType().Name);
            }
        }

        return names;
    }
}
