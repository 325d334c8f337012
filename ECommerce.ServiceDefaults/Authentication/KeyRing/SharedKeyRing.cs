using ECommerce.ServiceDefaults.Clients;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ECommerce.ServiceDefaults.Authentication.KeyRing;

/// <summary>
/// The data-protection key ring every service shares, kept in PostgreSQL. Bearer tokens are data-protected
/// payloads, so a token issued by one service (OrderingApi) can be read by any instance of any service that
/// has the same application name and the same keys, and keeps working across restarts.
/// </summary>
public static class SharedKeyRing
{
    /// <summary>The application discriminator: the same in every service, or they cannot read each other's tokens.</summary>
    public const string ApplicationName = "ECommerce";

    /// <summary>The connection string name (<c>ConnectionStrings:keyringdb</c>) of the database holding the keys.</summary>
    public const string ConnectionName = "keyringdb";

    /// <summary>Traces of the key ring's start-up (schema and first key, under an advisory lock).</summary>
    public const string ActivitySourceName = "ECommerce.Authentication";

    /// <summary>
    /// Keeps the key ring in the table <c>data_protection_keys</c> of <c>ConnectionStrings:{connectionName}</c>
    /// and loads it once at start under a PostgreSQL advisory lock, so that instances starting together agree
    /// on one first key instead of each making its own.
    /// </summary>
    public static IDataProtectionBuilder PersistKeysToPostgres(this IDataProtectionBuilder builder, string connectionName = ConnectionName)
    {
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(PostgresXmlRepository)))
        {
            return builder;
        }
        services.TryAddKeyedSingleton(connectionName, (provider, _) =>
        {
            var connectionString = ConnectionStrings.GetRequired(provider.GetRequiredService<IConfiguration>(), connectionName);
            return new NpgsqlDataSourceBuilder(connectionString)
                .UseLoggerFactory(provider.GetRequiredService<ILoggerFactory>())
                .Build();
        });
        services.AddSingleton(provider => new PostgresXmlRepository(
            provider.GetRequiredKeyedService<NpgsqlDataSource>(connectionName),
            provider.GetRequiredService<ILogger<PostgresXmlRepository>>()));
        services.AddOptions<KeyManagementOptions>()
            .Configure<PostgresXmlRepository>((options, repository) => options.XmlRepository = repository);

        // Before the framework's DataProtectionHostedService, which loads the ring at start without any lock:
        // hosted services start one after another, so that one then finds the ring already loaded.
        var initializer = ServiceDescriptor.Singleton<IHostedService>(provider => new KeyRingInitializer(
            provider.GetRequiredKeyedService<NpgsqlDataSource>(connectionName),
            provider.GetRequiredService<PostgresXmlRepository>(),
            provider.GetRequiredService<IDataProtectionProvider>(),
            provider.GetRequiredService<ILogger<KeyRingInitializer>>()));
        var frameworkLoader = services.FirstOrDefault(d =>
            d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Name == "DataProtectionHostedService");
        if (frameworkLoader is null)
        {
            services.Add(initializer);
        }
        else
        {
            services.Insert(services.IndexOf(frameworkLoader), initializer);
        }
        return builder;
    }
}
