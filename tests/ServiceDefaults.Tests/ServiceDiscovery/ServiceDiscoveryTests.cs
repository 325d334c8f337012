using System.Net;
using ECommerce.ServiceDefaults.ServiceDiscovery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServiceDefaults.Tests.Infrastructure;

namespace ServiceDefaults.Tests.ServiceDiscovery;

public sealed class ServiceDiscoveryTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Logical_name_is_sent_to_the_configured_kestrel_endpoint_keeping_path_and_query()
    {
        await using var server = await TestWebApp.StartAsync(app =>
            app.MapGet("/api/catalog/products", (HttpRequest request) => $"{request.Host} {request.Path}{request.QueryString}"));
        using var services = ClientServices(new() { ["services:catalog-api:http:0"] = server.BaseAddress.ToString() });

        var client = Client(services, "http://catalog-api");
        var body = await client.GetStringAsync("/api/catalog/products?q=tent&page=2", Cancel);

        Assert.Equal($"127.0.0.1:{server.Port} /api/catalog/products?q=tent&page=2", body);
    }

    [Fact]
    public async Task Several_endpoints_are_used_in_turn()
    {
        await using var first = await TestWebApp.StartAsync(app => app.MapGet("/who", () => "first"));
        await using var second = await TestWebApp.StartAsync(app => app.MapGet("/who", () => "second"));
        using var services = ClientServices(new()
        {
            ["services:catalog-api:http:0"] = first.BaseAddress.ToString(),
            ["services:catalog-api:http:1"] = second.BaseAddress.ToString(),
        });

        var client = Client(services, "http://catalog-api");
        var answers = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add(await client.GetStringAsync("/who", Cancel));
        }

        Assert.Equal(["first", "second", "first", "second"], answers);
    }

    [Fact]
    public async Task Host_without_configured_endpoint_is_left_untouched()
    {
        var transport = new ScriptedHandler();
        using var services = ClientServices(new() { ["services:catalog-api:http:0"] = "http://127.0.0.1:5001" }, transport);

        await Client(services, "http://example.test:8080").GetAsync("/a/b?c=d", Cancel);

        Assert.Equal(new Uri("http://example.test:8080/a/b?c=d"), Assert.Single(transport.Sent).Uri);
    }

    [Fact]
    public async Task Https_plus_http_prefers_https_and_falls_back_to_http()
    {
        var transport = new ScriptedHandler();
        using var services = ClientServices(new()
        {
            ["services:ordering-api:http:0"] = "http://127.0.0.1:5002",
            ["services:catalog-api:https:0"] = "https://127.0.0.1:7001",
            ["services:catalog-api:http:0"] = "http://127.0.0.1:5001",
        }, transport);

        await Client(services, "https+http://catalog-api").GetAsync("/x", Cancel);
        await Client(services, "https+http://ordering-api").GetAsync("/y", Cancel);

        Assert.Equal(
            [new Uri("https://127.0.0.1:7001/x"), new Uri("http://127.0.0.1:5002/y")],
            transport.Sent.Select(sent => sent.Uri));
    }

    [Fact]
    public async Task Unconfigured_https_plus_http_host_gets_a_real_scheme()
    {
        var transport = new ScriptedHandler();
        using var services = ClientServices(new(), transport);

        await Client(services, "https+http://example.test").GetAsync("/x", Cancel);

        Assert.Equal(new Uri("https://example.test/x"), Assert.Single(transport.Sent).Uri);
    }

    [Fact]
    public async Task Endpoint_name_form_resolves_the_named_endpoint()
    {
        var transport = new ScriptedHandler();
        using var services = ClientServices(new() { ["services:catalog-api:admin:0"] = "127.0.0.1:9001" }, transport);

        await Client(services, "http://_admin.catalog-api").GetAsync("/stats", Cancel);

        Assert.Equal(new Uri("http://127.0.0.1:9001/stats"), Assert.Single(transport.Sent).Uri);
    }

    [Fact]
    public async Task Endpoint_name_form_without_configuration_fails_with_a_clear_message()
    {
        var transport = new ScriptedHandler();
        using var services = ClientServices(new(), transport);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Client(services, "http://_http.catalog-api").GetAsync("/", Cancel));

        Assert.Contains("services__catalog-api__http__0", error.Message);
        Assert.Equal(0, transport.Calls);
    }

    [Fact]
    public async Task Changed_configuration_applies_to_the_next_request()
    {
        var transport = new ScriptedHandler();
        using var services = ClientServices(new() { ["services:catalog-api:http:0"] = "http://127.0.0.1:5001" }, transport);
        var client = Client(services, "http://catalog-api");

        await client.GetAsync("/", Cancel);
        services.GetRequiredService<IConfiguration>()["services:catalog-api:http:0"] = "http://127.0.0.1:5999";
        await client.GetAsync("/", Cancel);

        Assert.Equal(
            [new Uri("http://127.0.0.1:5001/"), new Uri("http://127.0.0.1:5999/")],
            transport.Sent.Select(sent => sent.Uri));
    }

    [Fact]
    public void Resolver_accepts_a_single_value_and_keeps_a_base_path()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["services:search:http"] = "http://10.1.2.3:80/prefix/" })
            .Build();

        var resolved = new ServiceEndpointResolver(configuration).Resolve(new Uri("http://search/q?x=%20y"));

        Assert.Equal("http://10.1.2.3/prefix/q?x=%20y", resolved?.AbsoluteUri);
    }

    private static ServiceProvider ClientServices(Dictionary<string, string?> settings, HttpMessageHandler? transport = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        var http = services.AddHttpClient("test").AddServiceDiscovery();
        if (transport is not null)
        {
            http.ConfigurePrimaryHttpMessageHandler(() => transport);
        }

        return services.BuildServiceProvider();
    }

    private static HttpClient Client(IServiceProvider services, string baseAddress)
    {
        var client = services.GetRequiredService<IHttpClientFactory>().CreateClient("test");
        client.BaseAddress = new Uri(baseAddress);
        return client;
    }
}
