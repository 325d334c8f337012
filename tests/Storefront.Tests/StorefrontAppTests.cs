using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Storefront.Tests;

/// <summary>The storefront in process: its endpoints, with every backend answered by a fake at the HTTP layer.</summary>
public sealed class StorefrontAppTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string> ConfiguredAddresses = new()
    {
        ["catalog-api"] = "http://127.0.0.1:5301",
        ["ordering-api"] = "http://127.0.0.1:5302",
        ["forecast-worker"] = "http://127.0.0.1:5303",
        ["assistant-api"] = "http://127.0.0.1:5304",
    };

    private readonly FakeHttpHandler backends = new((request, _) => Task.FromResult(new HttpResponseMessage(
        request.RequestUri!.Port == 5302 ? HttpStatusCode.NotFound : HttpStatusCode.OK)));

    private readonly StorefrontFactory factory;

    public StorefrontAppTests() => factory = new StorefrontFactory(backends);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => factory.DisposeAsync();

    private sealed class StorefrontFactory(HttpMessageHandler backends) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            // As the AppHost runs it by default: static web assets must resolve outside Development too.
            builder.UseEnvironment(Environments.Production);
            // No Redis answers here: the shop still starts and serves pages (sessions and live stock need it).
            builder.UseSetting("ConnectionStrings:redis", "127.0.0.1:1,connectTimeout=200");
            foreach (var (service, address) in ConfiguredAddresses)
            {
                builder.UseSetting($"services:{service}:http:0", address);
            }
            builder.ConfigureTestServices(services =>
            {
                // Service discovery and resilience stay in the pipeline; only the socket handler is replaced.
                services.ConfigureHttpClientDefaults(http => http.ConfigurePrimaryHttpMessageHandler(() => backends));
            });
        }
    }

    [Fact]
    public async Task Api_status_asks_each_service_at_the_address_configured_for_its_name()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/api/status", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            ConfiguredAddresses.Values.Select(address => $"{address}/alive").Order(),
            backends.Requests.Select(uri => uri.ToString()).Order());
    }

    [Fact]
    public async Task Api_status_answers_camel_case_json_with_one_entry_per_service()
    {
        using var client = factory.CreateClient();

        var json = await client.GetStringAsync("/api/status", TestContext.Current.CancellationToken);

        using var document = JsonDocument.Parse(json);
        var services = document.RootElement.GetProperty("services").EnumerateArray().ToList();
        Assert.Equal(["catalog-api", "ordering-api", "forecast-worker", "assistant-api"],
            services.Select(service => service.GetProperty("name").GetString()));
        var catalog = services[0];
        Assert.True(catalog.GetProperty("reachable").GetBoolean());
        Assert.Equal(200, catalog.GetProperty("statusCode").GetInt32());
        Assert.True(catalog.GetProperty("latencyMs").GetInt64() >= 0);
        var ordering = services[1];
        Assert.False(ordering.GetProperty("reachable").GetBoolean());
        Assert.Equal(404, ordering.GetProperty("statusCode").GetInt32());
    }

    [Fact]
    public async Task Serves_the_frameworks_own_script_and_FluentUIs_assets_in_Production()
    {
        using var client = factory.CreateClient();

        var home = await client.GetStringAsync("/", TestContext.Current.CancellationToken);
        var script = System.Text.RegularExpressions.Regex.Match(home, "<script src=\"(_framework/blazor\\.web(\\.[a-z0-9]+)?\\.js)\"></script>");
        Assert.True(script.Success, "the page references _framework/blazor.web.js");

        foreach (var path in new[]
        {
            script.Groups[1].Value,
            "_framework/blazor.web.js",
            "_content/Microsoft.FluentUI.AspNetCore.Components/Microsoft.FluentUI.AspNetCore.Components.lib.module.js",
            "_content/Microsoft.FluentUI.AspNetCore.Components/Microsoft.FluentUI.AspNetCore.Components.bundle.scp.css",
        })
        {
            using var response = await client.GetAsync("/" + path, TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} answered {(int)response.StatusCode}");
            Assert.True((await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken)).Length > 10_000, path);
        }
    }

    [Fact]
    public async Task Fingerprinted_assets_are_cached_for_good_and_the_others_revalidated()
    {
        using var client = factory.CreateClient();

        var home = await client.GetStringAsync("/", TestContext.Current.CancellationToken);
        var fingerprinted = System.Text.RegularExpressions.Regex.Match(home, "href=\"(app\\.[a-z0-9]+\\.css)\"");
        Assert.True(fingerprinted.Success, "the page links its fingerprinted stylesheet");

        using var stylesheet = await client.GetAsync("/" + fingerprinted.Groups[1].Value, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, stylesheet.StatusCode);
        Assert.Contains("immutable", stylesheet.Headers.CacheControl?.ToString());
        using var plain = await client.GetAsync("/app.css", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.True(plain.Headers.CacheControl?.NoCache, "a file under its own name is asked for again");
    }

    [Theory]
    [InlineData("/", "Gear for the trail ahead")]
    [InlineData("/status", "System status")]
    public async Task Pages_render_on_the_server(string path, string heading)
    {
        using var client = factory.CreateClient();

        var html = await client.GetStringAsync(path, TestContext.Current.CancellationToken);

        Assert.Contains(heading, html);
        Assert.Contains("Summit", html);
    }

    [Fact]
    public async Task An_unknown_page_answers_404_with_the_not_found_page()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/no-such-page", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Off the map", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
