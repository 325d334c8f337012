using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ServiceDefaults.Tests.Infrastructure;

/// <summary>A real Kestrel app on 127.0.0.1 with a free port, for tests to call over HTTP.</summary>
internal sealed class TestWebApp : IAsyncDisposable
{
    private TestWebApp(WebApplication app)
    {
        App = app;
        BaseAddress = new Uri(app.Urls.First());
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public int Port => BaseAddress.Port;

    public IServiceProvider Services => App.Services;

    public static async Task<TestWebApp> StartAsync(
        Action<WebApplication> mapEndpoints,
        Action<WebApplicationBuilder>? configureBuilder = null,
        IDictionary<string, string?>? configuration = null,
        string environment = "Production")
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        if (configuration is not null)
        {
            builder.Configuration.AddInMemoryCollection(configuration);
        }

        configureBuilder?.Invoke(builder);

        var app = builder.Build();
        mapEndpoints(app);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new TestWebApp(app);
    }

    /// <summary>A client that does not add trace headers of its own (tests set them when they need to).</summary>
    public HttpClient CreateClient() =>
        new(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = BaseAddress };

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
