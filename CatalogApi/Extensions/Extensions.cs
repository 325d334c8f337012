using CatalogApi.Apis;
using CatalogApi.Infrastructure;
using CatalogApi.Services;
using ECommerce.ServiceDefaults.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;

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

        // Statements used over and over (search, reservations) are prepared once per connection.
        builder.AddNpgsqlDataSource("catalogdb", dataSource => dataSource.ConnectionStringBuilder.MaxAutoPrepare = 64);
        builder.AddNpgsqlDbContext<CatalogContext>("catalogdb");
        builder.AddRedisClient("redis");

        // Schema and sample data first (hosted services start in order, before the server takes requests).
        builder.Services.AddHostedService<CatalogDatabaseInitializer>();

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<CatalogCache>();
        builder.Services.AddHostedService(services => services.GetRequiredService<CatalogCache>());
        builder.Services.AddSingleton<StockNotifier>();
        builder.Services.AddSingleton<ProductSearchService>();
        builder.Services.AddSingleton<CatalogReader>();
        builder.Services.AddScoped<ProductAdminService>();
        builder.Services.AddSingleton<StockService>();
        builder.Services.AddSingleton<ReservationService>();
        builder.Services.AddHostedService<ReservationSweeper>();
    }
}
