using ECommerce.ServiceDefaults.Clients;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure;

namespace Microsoft.Extensions.Hosting;

/// <summary>PostgreSQL client registrations with Aspire's names.</summary>
public static class NpgsqlExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="NpgsqlDataSource"/> for <c>ConnectionStrings:{connectionName}</c>
    /// (also as a keyed service under that name) and a "ready" health check of the same name running <c>SELECT 1</c>.
    /// </summary>
    public static IHostApplicationBuilder AddNpgsqlDataSource(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<NpgsqlDataSourceBuilder>? configureDataSource = null)
    {
        AddKeyedDataSource(builder.Services, connectionName, configureDataSource);
        builder.Services.TryAddSingleton(services => services.GetRequiredKeyedService<NpgsqlDataSource>(connectionName));
        return builder;
    }

    /// <summary>
    /// Registers <typeparamref name="TContext"/> on the connection's <see cref="NpgsqlDataSource"/> with retry on
    /// transient failures, and the connection's "ready" health check. With retries on, wrap explicit transactions
    /// in <c>db.Database.CreateExecutionStrategy().ExecuteAsync(...)</c>.
    /// </summary>
    public static IHostApplicationBuilder AddNpgsqlDbContext<TContext>(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<DbContextOptionsBuilder>? configure = null,
        Action<NpgsqlDbContextOptionsBuilder>? configureNpgsql = null) where TContext : DbContext
    {
        AddKeyedDataSource(builder.Services, connectionName, configureDataSource: null);

        builder.Services.AddDbContext<TContext>((services, options) =>
        {
            options.UseNpgsql(services.GetRequiredKeyedService<NpgsqlDataSource>(connectionName), npgsql =>
            {
                npgsql.EnableRetryOnFailure();
                configureNpgsql?.Invoke(npgsql);
            });
            configure?.Invoke(options);
        });

        return builder;
    }

    /// <summary>
    /// One data source and one health check per connection name, however many registrations ask for it
    /// (the first one's configuration wins). The connection string is read when the data source is first
    /// needed, so configuration added after this call (e.g. by a test host) still counts.
    /// </summary>
    private static void AddKeyedDataSource(IServiceCollection services, string connectionName, Action<NpgsqlDataSourceBuilder>? configureDataSource)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);

        var alreadyAdded = services.Any(d =>
            d.ServiceType == typeof(NpgsqlDataSource) && d.IsKeyedService && Equals(d.ServiceKey, connectionName));
        if (alreadyAdded)
        {
            return;
        }

        services.AddKeyedSingleton(connectionName, (provider, _) =>
        {
            var connectionString = ConnectionStrings.GetRequired(provider.GetRequiredService<IConfiguration>(), connectionName);
            var dataSourceBuilder = new NpgsqlDataSourceBuilder(connectionString)
                .UseLoggerFactory(provider.GetRequiredService<ILoggerFactory>());
            var given = new NpgsqlConnectionStringBuilder(connectionString);
            // Statements a service runs again and again (reservations, checkouts, reads) are prepared on each
            // connection after their second use, so PostgreSQL parses and plans them once, not per call.
            // A connection string that says otherwise (Max Auto Prepare=0) wins.
            if (!given.ContainsKey("Max Auto Prepare"))
            {
                dataSourceBuilder.ConnectionStringBuilder.MaxAutoPrepare = 64;
                dataSourceBuilder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
            }
            // No service keeps session state on a pooled connection (settings are transaction-local, advisory locks are
            // transaction-scoped or unlocked in a finally, no temp tables or LISTEN), so a connection going back to
            // the pool is not reset: the reset is seven statements parsed and run before every next use.
            if (!given.ContainsKey("No Reset On Close"))
            {
                dataSourceBuilder.ConnectionStringBuilder.NoResetOnClose = true;
            }
            configureDataSource?.Invoke(dataSourceBuilder);
            return dataSourceBuilder.Build();
        });

        ClientHealthChecks.AddReadyCheck(services, connectionName, provider => new NpgsqlHealthCheck(
            provider.GetRequiredKeyedService<NpgsqlDataSource>(connectionName),
            ClientHealthChecks.CheckTimeout,
            provider.GetRequiredService<ILogger<NpgsqlHealthCheck>>()));
    }
}
