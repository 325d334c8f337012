using CatalogApi.Apis;
using CatalogApi.Infrastructure;
using CatalogApi.Services;
using ECommerce.ServiceDefaults.Authentication;
using ECommerce.ServiceDefaults.Clients;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace CatalogApi.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        // Validates the bearer tokens OrderingApi issues; endpoints need a signed-in user unless they say otherwise.
        builder.AddDefaultAuthentication();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(StockApi.ReservationsPolicy, AuthorizationPolicies.AdminOrScope(StockApi.ReservationsScope));

        builder.Services.AddOptions<CatalogOptions>()
            .BindConfiguration(CatalogOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // One data source for the raw SQL (search, stock, reservations) and the DbContext (admin writes), with
        // statements used over and over prepared once per connection (ClientDefaults). EF Core retries transient failures
        // a little (bounded); the data source's PostgreSQL check already covers the database.
        builder.AddNpgsqlDataSource("catalogdb", configureDataSourceBuilder: ClientDefaults.ConfigureNpgsql);
        builder.Services.AddDbContext<CatalogContext>((services, options) => options.UseNpgsql(
            services.GetRequiredService<NpgsqlDataSource>(),
            npgsql => npgsql.EnableRetryOnFailure(ClientDefaults.DbContextMaxRetries, ClientDefaults.DbContextMaxRetryDelay, null)));
        builder.EnrichNpgsqlDbContext<CatalogContext>(settings =>
        {
            settings.DisableHealthChecks = true;
            settings.DisableRetry = true; // ours above: bounded, so a database that is down answers 503 fast
        });
        builder.AddRedisClient("redis", configureOptions: ClientDefaults.ConfigureRedis);

        // Schema and sample data first (hosted services start in order, before the server takes requests).
        builder.Services.AddHostedService<CatalogDatabaseInitializer>();

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<CatalogCache>();
        builder.Services.AddHostedService(services => services.GetRequiredService<CatalogCache>());
        builder.Services.AddSingleton<StockNotifier>();
        builder.Services.AddSingleton<Services.Search.CatalogIndex>();
        builder.Services.AddHostedService(services => services.GetRequiredService<Services.Search.CatalogIndex>());
        builder.Services.AddSingleton<ProductSearchService>();
        builder.Services.AddSingleton<CatalogReader>();
        builder.Services.AddSingleton<ProductRatings>();
        builder.Services.AddScoped<ProductAdminService>();
        builder.Services.AddSingleton<StockService>();
        builder.Services.AddSingleton<ReservationService>();
        builder.Services.AddHostedService<ReservationSweeper>();
    }
}
