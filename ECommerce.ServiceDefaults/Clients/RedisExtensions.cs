using ECommerce.ServiceDefaults.Clients;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

/// <summary>Redis client registration with Aspire's name (StackExchange.Redis 1.2.6).</summary>
public static class RedisExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="IConnectionMultiplexer"/> for <c>ConnectionStrings:{connectionName}</c>
    /// (also keyed under that name) and a "ready" health check of the same name (PING, 3 s limit).
    /// The service starts even while Redis is down (AbortOnConnectFail=false) and reconnects by itself.
    /// </summary>
    public static IHostApplicationBuilder AddRedisClient(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<ConfigurationOptions>? configureOptions = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);
        var services = builder.Services;

        var alreadyAdded = services.Any(d =>
            d.ServiceType == typeof(IConnectionMultiplexer) && d.IsKeyedService && Equals(d.ServiceKey, connectionName));
        if (alreadyAdded)
        {
            return builder;
        }

        services.AddKeyedSingleton<IConnectionMultiplexer>(connectionName, (provider, _) =>
        {
            var connectionString = ConnectionStrings.GetRequired(provider.GetRequiredService<IConfiguration>(), connectionName);
            var options = ConfigurationOptions.Parse(connectionString);
            options.AbortOnConnectFail = false;
            configureOptions?.Invoke(options);
            return RedisConnection.Connect(options, connectionName, provider.GetRequiredService<ILoggerFactory>());
        });
        services.TryAddSingleton(provider => provider.GetRequiredKeyedService<IConnectionMultiplexer>(connectionName));

        ClientHealthChecks.AddReadyCheck(services, connectionName, provider => new RedisHealthCheck(
            () => provider.GetRequiredKeyedService<IConnectionMultiplexer>(connectionName),
            ClientHealthChecks.CheckTimeout));

        return builder;
    }
}
