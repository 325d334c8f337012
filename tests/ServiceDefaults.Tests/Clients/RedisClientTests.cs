using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using ServiceDefaults.Tests.Infrastructure;
using StackExchange.Redis;

namespace ServiceDefaults.Tests.Clients;

public sealed class RedisClientTests
{
    [Fact]
    public async Task Redis_check_goes_unhealthy_when_the_server_stops_and_healthy_again_after_restart()
    {
        Assert.SkipUnless(RedisServer.IsInstalled, $"{RedisServer.Executable} is not installed");
        await using var redis = new RedisServer();
        await redis.StartAsync();
        using var host = BuildHost(redis.ConnectionString);
        var health = host.Services.GetRequiredService<HealthCheckService>();
        var db = host.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();

        Assert.Equal(HealthStatus.Healthy, (await HealthPolling.CheckAsync(health, "redis")).Status);
        await db.StringSetAsync("greeting", "hello");

        await redis.StopAsync();
        var downRuns = await HealthPolling.WaitForAsync(health, "redis", HealthStatus.Unhealthy, TimeSpan.FromSeconds(10));

        await redis.StartAsync();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await HealthPolling.WaitForAsync(health, "redis", HealthStatus.Healthy, TimeSpan.FromSeconds(15));
        TestContext.Current.TestOutputHelper?.WriteLine($"Unhealthy after {downRuns} check(s); healthy {watch.Elapsed} after restart.");

        // Same multiplexer, working again (the data is gone: the server keeps nothing on disk).
        await db.StringSetAsync("greeting", "hello again");
        Assert.Equal("hello again", (string?)await db.StringGetAsync("greeting"));
    }

    [Fact]
    public async Task Service_starts_while_redis_is_down_and_the_check_answers_within_its_time_limit()
    {
        using var host = BuildHost($"127.0.0.1:{FreePort.Next()},connectTimeout=1000");
        var health = host.Services.GetRequiredService<HealthCheckService>();

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var entry = await HealthPolling.CheckAsync(health, "redis");

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(6), $"took {watch.Elapsed}");
        Assert.False(host.Services.GetRequiredService<IConnectionMultiplexer>().IsConnected);
    }

    [Fact]
    public void Missing_connection_string_is_reported_by_name()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.AddRedisClient("cache");
        using var host = builder.Build();

        var error = Assert.Throws<InvalidOperationException>(() => host.Services.GetRequiredService<IConnectionMultiplexer>());

        Assert.Contains("ConnectionStrings__cache", error.Message);
    }

    private static IHost BuildHost(string connectionString)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:redis"] = connectionString });
        builder.AddRedisClient("redis");
        return builder.Build();
    }
}
