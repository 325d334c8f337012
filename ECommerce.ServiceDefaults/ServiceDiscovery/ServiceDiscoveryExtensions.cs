using ECommerce.ServiceDefaults.ServiceDiscovery;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configuration-based service discovery (stands in for Microsoft.Extensions.ServiceDiscovery).</summary>
public static class ServiceDiscoveryExtensions
{
    /// <summary>
    /// Registers the resolver that reads endpoints from <c>services:{service}:{endpoint}:{index}</c>.
    /// </summary>
    public static IServiceCollection AddServiceDiscovery(this IServiceCollection services)
    {
        services.TryAddSingleton<ServiceEndpointResolver>();
        return services;
    }

    /// <summary>
    /// Lets this client use logical service names: <c>http://catalog-api</c>, <c>https+http://catalog-api</c>
    /// or <c>http://_http.catalog-api</c> are sent to a configured instance; other hosts are untouched.
    /// </summary>
    public static IHttpClientBuilder AddServiceDiscovery(this IHttpClientBuilder builder)
    {
        builder.Services.AddServiceDiscovery();
        builder.AddHttpMessageHandler(services => new ServiceDiscoveryHandler(
            services.GetRequiredService<ServiceEndpointResolver>(),
            services.GetRequiredService<ILogger<ServiceDiscoveryHandler>>()));
        return builder;
    }
}
