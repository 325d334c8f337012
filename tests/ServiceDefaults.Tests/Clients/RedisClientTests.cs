using System.Diagnostics;
using System.Net;
using ECommerce.ServiceDefaults.Clients;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using ServiceDefaults.Tests.Infrastructure;
using StackExchange.Redis;

namespace ServiceDefaults.Tests.Clients;

/// <summary>
/// Aspire's Redis integration as the services register it: <see cref="ClientDefaults.ConfigureRedis"/> on the
/// connection, and the time limit <c>AddDefaultHealthChecks</c> puts on its health check.
/// </summary>
public sealed class RedisClientTests
{
    /// <summary>The name Aspire.StackExchange.Redis gives the check of an unkeyed connection.</summary>
    private const string Check = "StackExchange.Redis";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Service_stays_up_while_redis_is_down_and_its_health_recovers_after_a_restart()
    {
        Assert.SkipUnless(RedisServer.IsInstalled, $"{RedisServer.Executable} is not installed");
        await using var redis = new RedisServer();
        await redis.StartAsync();
        await using var app = await StartAppAsync(redis.ConnectionString);
        using var client = app.CreateClient();
        var db = app.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/health"));
        await db.StringSetAsync("greeting", "hello");

        await redis.StopAsync();
        var watch = Stopwatch.StartNew();
        await Eventually(client, "/health", HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(10));
        TestContext.Current.TestOutputHelper?.WriteLine($"/health 503 {watch.Elapsed} after the stop.");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/alive"));

        // While disconnected a command fails at once (no backlog waiting for the 5 s command timeout).
        watch.Restart();
        await Assert.ThrowsAsync<RedisConnectionException>(() => db.StringGetAsync("greeting"));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"took {watch.Elapsed}");

        await redis.StartAsync();
        watch.Restart();
        await Eventually(client, "/health", HttpStatusCode.OK, TimeSpan.FromSeconds(15));
        TestContext.Current.TestOutputHelper?.WriteLine($"/health 200 {watch.Elapsed} after the restart.");

        // Same multiplexer, working again (the data is gone: the server keeps nothing on disk).
        await db.StringSetAsync("greeting", "hello again");
        Assert.Equal("hello again", (string?)await db.StringGetAsync("greeting"));
    }

    [Fact]
    public async Task Service_starts_while_redis_is_down_and_the_check_answers_within_its_time_limit()
    {
        using var host = BuildHost($"127.0.0.1:{FreePort.Next()},connectTimeout=1000");
        var health = host.Services.GetRequiredService<HealthCheckService>();

        var watch = Stopwatch.StartNew();
        var entry = await HealthPolling.CheckAsync(health, Check);

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4), $"took {watch.Elapsed}");
        Assert.False(host.Services.GetRequiredService<IConnectionMultiplexer>().IsConnected);
    }

    [Fact]
    public async Task Redis_check_gives_up_after_its_time_limit_when_the_server_does_not_answer()
    {
        await using var silent = new SilentServer();
        using var host = BuildHost($"127.0.0.1:{silent.Port},connectTimeout=1000");
        // Resolved first, as a service's start-up does (the first connect blocks for up to connectTimeout).
        host.Services.GetRequiredService<IConnectionMultiplexer>();

        var entry = await HealthPolling.CheckAsync(host.Services.GetRequiredService<HealthCheckService>(), Check);

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.True(entry.Duration < TimeSpan.FromSeconds(4), $"took {entry.Duration}");
    }

    private static IHost BuildHost(string connectionString)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:redis"] = connectionString });
        builder.AddDefaultHealthChecks();
        builder.AddRedisClient("redis", configureOptions: ClientDefaults.ConfigureRedis);
        return builder.Build();
    }

    private static Task<TestWebApp> StartAppAsync(string connectionString) => TestWebApp.StartAsync(
        app => app.MapDefaultEndpoints(),
        builder =>
        {
            builder.AddServiceDefaults();
            builder.AddRedisClient("redis", configureOptions: ClientDefaults.ConfigureRedis);
        },
        new Dictionary<string, string?> { ["ConnectionStrings:redis"] = connectionString });

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, Cancel);
        return response.StatusCode;
    }

    private static async Task Eventually(HttpClient client, string path, HttpStatusCode expected, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        HttpStatusCode last;
        while ((last = await StatusAsync(client, path)) != expected)
        {
            Assert.True(watch.Elapsed < timeout, $"{path} still {(int)last} after {watch.Elapsed}, expected {(int)expected}");
            await Task.Delay(100, Cancel);
        }
    }
}
