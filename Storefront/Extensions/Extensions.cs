using Radzen;
using Storefront.Services;

namespace Storefront.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents()
            .AddInteractiveServerComponents();
        builder.Services.AddRadzenComponents();

        // The backend services, addressed by service name: service discovery (ServiceDefaults) turns
        // http://catalog-api into the address configured as services:catalog-api:http:0, and so on.
        builder.Services.AddHttpClient<CatalogClient>(client => client.BaseAddress = new("http://catalog-api"));
        builder.Services.AddHttpClient<OrderingClient>(client => client.BaseAddress = new("http://ordering-api"));
        builder.Services.AddHttpClient<ForecastClient>(client => client.BaseAddress = new("http://forecast-worker"));
        builder.Services.AddHttpClient<AssistantClient>(client => client.BaseAddress = new("http://assistant-api"));

        builder.Services.AddOptions<ServiceStatusOptions>()
            .BindConfiguration(ServiceStatusOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddTransient<ServiceStatusChecker>();
    }
}
