using ECommerce.ServiceDefaults.Clients;
using ForecastWorker.Infrastructure;
using ForecastWorker.Services;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ForecastWorker.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        // Validates the bearer tokens OrderingApi issues; endpoints need a signed-in user unless they say otherwise.
        builder.AddDefaultAuthentication();
        builder.AddNpgsqlDataSource("forecastdb", configureDataSourceBuilder: ClientDefaults.ConfigureNpgsql);
        // Only for sign-ins that ended early (logout, password change, role change): refused here at once, as everywhere.
        builder.AddRedisClient("redis", configureOptions: ClientDefaults.ConfigureRedis);

        builder.Services.AddOptions<ForecastingSettings>()
            .BindConfiguration(ForecastingSettings.SectionName)
            .ValidateDataAnnotations()
            .Validate(s => s.Schedule is not null && s.Reorder is not null && s.GlobalModel is not null, "Forecasting:Schedule, Forecasting:Reorder and Forecasting:GlobalModel must be objects.")
            .Validate(s => s.GlobalModel.Threads is >= 1 and <= 64 && s.GlobalModel.MaxTrainingRows is >= 1_000 and <= 5_000_000,
                "Forecasting:GlobalModel:Threads must be from 1 to 64 and MaxTrainingRows from 1000 to 5000000.")
            .Validate(s => s.Reorder.ServiceLevel is >= 0.5 and <= 0.999, "Forecasting:Reorder:ServiceLevel must be from 0.5 to 0.999.")
            .Validate(s => s.Schedule.Interval >= TimeSpan.FromMinutes(1), "Forecasting:Schedule:Interval must be at least a minute.")
            .ValidateOnStart();

        // Its own identity (client credentials) for background calls: sales from OrderingApi (scope sales:read),
        // stock levels from CatalogApi (scope stock:read).
        builder.AddServiceTokens();
        // A pull of a year of sales may take a while on a busy machine; a shopper waiting on a restock estimate may not.
        // Each client replaces the default standard handler with its own (the defaults' handler is shared by all clients,
        // so it has one set of options). RemoveAllResilienceHandlers is the package's way for this, marked experimental.
#pragma warning disable EXTEXP0001
        builder.Services.AddHttpClient<SalesClient>(http =>
        {
            http.BaseAddress = new Uri("http://ordering-api");
            http.Timeout = TimeSpan.FromMinutes(4);
        })
            .AddServiceToken()
            .RemoveAllResilienceHandlers()
            .AddStandardResilienceHandler(options =>
            {
                options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(60);
                options.TotalRequestTimeout.Timeout = TimeSpan.FromMinutes(3);
                // The package requires a sampling window of at least twice the attempt timeout.
                options.CircuitBreaker.SamplingDuration = TimeSpan.FromMinutes(2);
            });
        builder.Services.AddHttpClient<CatalogStockClient>(http => http.BaseAddress = new Uri("http://catalog-api"))
            .AddServiceToken()
            .RemoveAllResilienceHandlers()
            .AddStandardResilienceHandler(options =>
            {
                options.Retry.MaxRetryAttempts = 1;
                options.Retry.Delay = TimeSpan.FromMilliseconds(500);
                options.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(15);
            });
#pragma warning restore EXTEXP0001

        // Schema first (hosted services start in order, before the server takes requests), then the run loop.
        builder.Services.AddHostedService<ForecastDatabaseInitializer>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ForecastStore>();
        builder.Services.AddSingleton<ForecastRunner>();
        builder.Services.AddSingleton<ForecastQueries>();
        builder.Services.AddSingleton<ForecastScheduler>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ForecastScheduler>());
    }
}
